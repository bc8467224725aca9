import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { readJson } from './http.js';

export interface TestUser {
  id: string;
  email: string;
  password: string;
  token: string;
  refreshToken: string;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export const uniqueEmail = (label = 'user') => `${label}-${randomBytes(4).toString('hex')}@example.com`;

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

/** Registers a user through the API and returns its credentials and first session. */
export async function registerUser(
  baseUrl: string,
  overrides: { email?: string; password?: string; name?: string } = {},
  headers: Record<string, string> = {},
): Promise<TestUser> {
  const email = overrides.email ?? uniqueEmail();
  const password = overrides.password ?? `pw-${randomBytes(8).toString('hex')}`;
  const response = await postJson(`${baseUrl}/v1/auth/register`, { email, password, ...(overrides.name ? { name: overrides.name } : {}) }, headers);
  const body = await readJson(response);
  expect(response.status, JSON.stringify(body)).toBe(201);
  return { id: body.user.id, email: body.user.email, password, token: body.token, refreshToken: body.refreshToken };
}

export async function login(baseUrl: string, user: { email: string; password: string }, headers: Record<string, string> = {}) {
  const response = await postJson(`${baseUrl}/v1/auth/login`, { email: user.email, password: user.password }, headers);
  return { status: response.status, headers: response.headers, body: await readJson(response) };
}
