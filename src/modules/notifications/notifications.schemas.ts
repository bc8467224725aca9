import { z } from 'zod';
import { emailKinds } from '../../i18n/email-kinds.js';

const kindsOf = <Value extends z.ZodType>(value: Value) => z.object(Object.fromEntries(emailKinds.map((kind) => [kind, value])) as Record<(typeof emailKinds)[number], Value>);

export const notificationSettings = z
  .object({
    email: kindsOf(z.boolean()).describe(
      'Each kind of e-mail, on or off: to you as the owner, minutes_ready, minutes_failed, signer_declined, envelope_voided, envelope_completed; to you as a participant, signed_ata',
    ),
  })
  .meta({ id: 'NotificationSettings' });

export const updateNotificationSettingsBody = z
  .object({ email: kindsOf(z.boolean()).partial().strict() })
  .refine((body) => Object.keys(body.email).length > 0, { error: 'name at least one kind of e-mail', path: ['email'] });

export const linkTokenQuery = z.object({ token: z.string().min(1).max(2000) });
