import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { createTokenService } from './auth.tokens.js';

const tokens = createTokenService({ secret: 'a-test-secret-that-is-32-bytes-long!', accessTokenTtlSec: 900 });
const subject = { userId: randomUUID(), email: 'ana@example.com', role: 'user' as const, sessionId: randomUUID() };
const requestWith = (authorization?: string) => ({ headers: { authorization } });

describe('access token verification', () => {
  it('verifies a request once, whoever asks (rate-limit key, then guard)', async () => {
    const request = requestWith(`Bearer ${await tokens.signAccessToken(subject)}`);
    const first = tokens.claimsOf(request);
    expect(tokens.claimsOf(request)).toBe(first);
    expect(await tokens.subjectOf(request)).toBe(subject.userId);
    expect(tokens.claimsOf(request)).toBe(first);
    await expect(first).resolves.toMatchObject({ sub: subject.userId, sid: subject.sessionId, type: 'access' });
  });

  it('verifies each request on its own', async () => {
    const authorization = `Bearer ${await tokens.signAccessToken(subject)}`;
    expect(tokens.claimsOf(requestWith(authorization))).not.toBe(tokens.claimsOf(requestWith(authorization)));
  });

  it('says what is wrong, and the rate-limit key falls back to none', async () => {
    const forged = `Bearer ${await createTokenService({ secret: 'another-secret-that-is-32-bytes-long', accessTokenTtlSec: 900 }).signAccessToken(subject)}`;
    for (const [authorization, code] of [
      [undefined, 'token_missing'],
      ['Basic abc', 'token_malformed'],
      [forged, 'token_signature_invalid'],
    ] as const) {
      const request = requestWith(authorization);
      expect(await tokens.subjectOf(request)).toBeUndefined();
      await expect(tokens.claimsOf(request)).rejects.toMatchObject({ code });
    }
  });

  it('refuses a correctly signed token that never expires', async () => {
    const secret = new TextEncoder().encode('a-test-secret-that-is-32-bytes-long!');
    const claims = { email: subject.email, role: subject.role, sid: subject.sessionId, type: 'access' };
    const signed = (withExpiry: boolean) => {
      const token = new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject(subject.userId).setJti(randomUUID()).setIssuedAt();
      return (withExpiry ? token.setExpirationTime('15m') : token).sign(secret);
    };
    await expect(tokens.claimsOf(requestWith(`Bearer ${await signed(true)}`))).resolves.toMatchObject({ sub: subject.userId });
    await expect(tokens.claimsOf(requestWith(`Bearer ${await signed(false)}`))).rejects.toMatchObject({ code: 'token_claims_invalid' });
  });
});
