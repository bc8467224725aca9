import { z } from 'zod';

export const serviceStatus = z.enum(['ok', 'emulated', 'down', 'not_configured']);

/** How e-mail leaves: `ok` through the configured SMTP server; `local` kept under DATA_DIR/mail (outside production, no SMTP settings); `not_configured`: nothing is sent. */
export const emailStatus = z.enum(['ok', 'local', 'not_configured']);

export const healthResponse = z
  .object({
    status: z.enum(['ok', 'degraded', 'down']),
    timestamp: z.iso.datetime({ offset: true }),
    services: z.object({
      database: serviceStatus,
      redis: serviceStatus,
      zoom: serviceStatus,
      docusign: serviceStatus,
      openai: serviceStatus,
      email: emailStatus,
    }),
  })
  .meta({ id: 'Health' });

export const probeResponse = z.object({ status: z.enum(['ok', 'down']) });

export type ServiceStatus = z.infer<typeof serviceStatus>;
export type EmailStatus = z.infer<typeof emailStatus>;
export type Health = z.infer<typeof healthResponse>;
