import { hkdfSync } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import { emailKinds, type EmailKind } from '../../i18n/email-kinds.js';
import { languages, type Language } from '../../i18n/languages.js';
import { AppError } from '../../lib/errors.js';

const ALGORITHM = 'HS256';

const unsubscribeClaims = z.object({ use: z.literal('unsubscribe'), email: z.string(), kind: z.enum(emailKinds), language: z.enum(languages) });
const downloadClaims = z.object({ use: z.literal('signed-ata'), minutesId: z.uuid(), userId: z.uuid() });

/**
 * The links an e-mail carries. Those that work without a login are signed (HS256, with a key
 * derived from JWT_SECRET for this use alone, so no e-mail link is ever an access token):
 * unsubscribing from one kind (no expiry: an old e-mail's link must still work) and downloading
 * a signed ata (expires after MAIL_LINK_TTL).
 */
export interface EmailLinks {
  /** `language`: the e-mail's, so the page the link opens speaks it too. */
  unsubscribeUrl(recipient: UnsubscribeTarget): Promise<string>;
  /** @throws AppError link_invalid */
  verifyUnsubscribe(token: string): Promise<UnsubscribeTarget>;
  signedAtaUrl(document: { minutesId: string; userId: string }): Promise<{ url: string; expiresAt: Date }>;
  /** @throws AppError link_invalid, link_expired */
  verifySignedAta(token: string): Promise<{ minutesId: string; userId: string }>;
  /** The minutes' page: in the app (APP_URL) when there is one, else the API resource. */
  minutesUrl(minutesId: string): string;
  /** The user's notification settings in the app; undefined without APP_URL. */
  preferencesUrl(): string | undefined;
}

export interface UnsubscribeTarget {
  email: string;
  kind: EmailKind;
  language: Language;
}

export function createEmailLinks(options: { jwtSecret: string; apiUrl: string; appUrl: string | undefined; linkTtlMs: number; now?: () => number }): EmailLinks {
  const now = options.now ?? Date.now;
  const keyBytes = new Uint8Array(hkdfSync('sha256', options.jwtSecret, '', 'atas e-mail links', 32));

  async function verify<Claims>(token: string, schema: z.ZodType<Claims>): Promise<Claims> {
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(token, keyBytes, { algorithms: [ALGORITHM], currentDate: new Date(now()) }));
    } catch (error) {
      if (error instanceof Error && 'code' in error && error.code === 'ERR_JWT_EXPIRED') throw new AppError('link_expired', 'This link has expired');
      throw new AppError('link_invalid', 'This link is not valid');
    }
    const claims = schema.safeParse(payload);
    if (!claims.success) throw new AppError('link_invalid', 'This link is not valid');
    return claims.data;
  }

  return {
    async unsubscribeUrl({ email, kind, language }) {
      const token = await new SignJWT({ use: 'unsubscribe', email, kind, language }).setProtectedHeader({ alg: ALGORITHM }).sign(keyBytes);
      return `${options.apiUrl}/v1/notifications/unsubscribe?token=${token}`;
    },
    verifyUnsubscribe: (token) => verify(token, unsubscribeClaims),
    async signedAtaUrl({ minutesId, userId }) {
      const expiresAt = new Date(now() + options.linkTtlMs);
      const token = await new SignJWT({ use: 'signed-ata', minutesId, userId })
        .setProtectedHeader({ alg: ALGORITHM })
        .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
        .sign(keyBytes);
      return { url: `${options.apiUrl}/v1/downloads/signed-ata?token=${token}`, expiresAt };
    },
    verifySignedAta: (token) => verify(token, downloadClaims),
    minutesUrl: (minutesId) => (options.appUrl ? `${options.appUrl}/minutes/${minutesId}` : `${options.apiUrl}/v1/minutes/${minutesId}`),
    preferencesUrl: () => (options.appUrl ? `${options.appUrl}/settings/notifications` : undefined),
  };
}
