import { z } from 'zod';

export const serviceStatus = z.enum(['ok', 'emulated', 'down', 'not_configured']);

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
    }),
  })
  .meta({ id: 'Health' });

export const probeResponse = z.object({ status: z.enum(['ok', 'down']) });

export type ServiceStatus = z.infer<typeof serviceStatus>;
export type Health = z.infer<typeof healthResponse>;
