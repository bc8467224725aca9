import { z } from 'zod';
import { emailField, newPasswordField, user } from '../users/users.schemas.js';

export const registerBody = z.object({
  email: emailField,
  password: newPasswordField,
  name: z.string().trim().min(1).max(255).optional(),
});

export const loginBody = z.object({ email: emailField, password: z.string().min(1).max(256) });

export const refreshBody = z.object({ refreshToken: z.string().min(1).max(512) });

const tokenPair = {
  token: z.string().describe('Access token (JWT) for Authorization: Bearer'),
  refreshToken: z.string().describe('Opaque; single use: each refresh returns a new one'),
  expiresIn: z.number().int().describe('Seconds until the access token expires'),
};

export const authResponse = z.object({ user, ...tokenPair });
export const refreshResponse = z.object(tokenPair);
