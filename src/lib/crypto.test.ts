import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createEncryptor } from './crypto.js';

const newKey = () => randomBytes(32).toString('hex');

describe('createEncryptor', () => {
  it('seals with AES-256-GCM and opens what it sealed; the ciphertext hides the text', () => {
    const encryptor = createEncryptor(newKey());
    const sealed = encryptor.seal('{"clientSecret":"s3cr3t"}', 'user-1:zoom');
    expect(JSON.stringify(sealed)).not.toContain('s3cr3t');
    expect(sealed.keyId).toBe(encryptor.currentKeyId);
    expect(encryptor.open(sealed, 'user-1:zoom')).toBe('{"clientSecret":"s3cr3t"}');
    expect(encryptor.seal('same', 'c').iv).not.toBe(encryptor.seal('same', 'c').iv);
  });

  it('refuses a value moved to another context or tampered with', () => {
    const encryptor = createEncryptor(newKey());
    const sealed = encryptor.seal('secret', 'user-1:zoom');
    expect(() => encryptor.open(sealed, 'user-2:zoom')).toThrow();
    const data = Buffer.from(sealed.data, 'base64');
    data[0]! ^= 1;
    expect(() => encryptor.open({ ...sealed, data: data.toString('base64') }, 'user-1:zoom')).toThrow();
  });

  it('opens values sealed under an old key listed in ENCRYPTION_KEYS, and only then', () => {
    const [oldKey, currentKey] = [newKey(), newKey()];
    const sealedUnderOld = createEncryptor(oldKey).seal('secret', 'ctx');
    expect(createEncryptor(currentKey, [oldKey]).open(sealedUnderOld, 'ctx')).toBe('secret');
    expect(() => createEncryptor(currentKey).open(sealedUnderOld, 'ctx')).toThrow(/no configured encryption key/);
  });
});
