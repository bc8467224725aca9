import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/** Hex SHA-256 of a text (UTF-8) or bytes: the hash the document chain records. */
export const sha256Hex = (content: string | Buffer): string => createHash('sha256').update(content).digest('hex');

/** Compares secrets (signatures, tokens) in constant time; different lengths are simply unequal. */
export function constantTimeEqual(a: string, b: string): boolean {
  const [left, right] = [Buffer.from(a), Buffer.from(b)];
  return left.length === right.length && timingSafeEqual(left, right);
}

/** An encrypted value as stored: AES-256-GCM, with the id of the key that sealed it. */
export const sealedValue = z.object({
  keyId: z.string(),
  iv: z.string(),
  tag: z.string(),
  data: z.string(),
});
export type SealedValue = z.infer<typeof sealedValue>;

export interface Encryptor {
  currentKeyId: string;
  /** `context` (e.g. owner and provider) is authenticated, not stored: a value moved to another row fails to open. */
  seal(plaintext: string, context: string): SealedValue;
  /** @throws Error when no known key opens it or it was tampered with. */
  open(sealed: SealedValue, context: string): string;
}

const keyIdOf = (key: Buffer) => createHash('sha256').update(key).digest('hex').slice(0, 12);

/** ENCRYPTION_KEY seals; it and every key in ENCRYPTION_KEYS open, so keys can be rotated. */
export function createEncryptor(currentKeyHex: string, previousKeysHex: readonly string[] = []): Encryptor {
  const current = Buffer.from(currentKeyHex, 'hex');
  const keys = new Map([current, ...previousKeysHex.map((hex) => Buffer.from(hex, 'hex'))].map((key) => [keyIdOf(key), key]));
  const currentKeyId = keyIdOf(current);

  return {
    currentKeyId,
    seal(plaintext, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', current, iv);
      cipher.setAAD(Buffer.from(context));
      const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return { keyId: currentKeyId, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
    },
    open(sealed, context) {
      const key = keys.get(sealed.keyId);
      if (!key) throw new Error(`no configured encryption key has id ${sealed.keyId}`);
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
      decipher.setAAD(Buffer.from(context));
      decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString('utf8');
    },
  };
}
