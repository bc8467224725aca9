import { describe, expect, it } from 'vitest';
import { redactSecrets } from './audit.redact.js';

describe('redactSecrets', () => {
  it('drops every field that names a secret, at any depth, and keeps the rest', () => {
    expect(
      redactSecrets({
        email: 'a@example.com',
        password: 'p',
        newPassword: 'p',
        refreshToken: 't',
        headers: { Authorization: 'Bearer x', 'user-agent': 'curl' },
        credentials: { clientSecret: 's' },
        changes: [{ field: 'name', apiKey: 'k', private_key: 'k' }],
        at: new Date(0),
      }),
    ).toEqual({
      email: 'a@example.com',
      headers: { 'user-agent': 'curl' },
      changes: [{ field: 'name' }],
      at: new Date(0),
    });
  });
});
