import { expect } from 'vitest';
import { readJson } from './http.js';
import { bearer, type TestUser } from './users.js';

export interface OwnedRoute {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** A path that names the owner's resource (its id, or the owner's user id). */
  path: string;
  body?: unknown;
  /** The answer the owner gets; 200 unless said. */
  ownerStatus?: number;
}

async function call(baseUrl: string, route: OwnedRoute, user: TestUser) {
  const response = await fetch(`${baseUrl}${route.path}`, {
    method: route.method,
    headers: { ...bearer(user.token), ...(route.body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(route.body === undefined ? {} : { body: JSON.stringify(route.body) }),
  });
  const isJson = response.headers.get('content-type')?.includes('application/json');
  return { status: response.status, text: isJson ? JSON.stringify(await readJson(response)) : `(${response.headers.get('content-type')})` };
}

/**
 * Proves that a route serves its owner and nobody else: another user gets 404 `not_found`
 * (never 403, which would confirm the resource exists) and not one identifier of the owner.
 * Call the intruder first when the owner's call changes the resource (a DELETE, say).
 */
export async function expectOwnerOnly(baseUrl: string, route: OwnedRoute, owner: TestUser, intruder: TestUser) {
  const asIntruder = await call(baseUrl, route, intruder);
  expect(asIntruder.status, `${route.method} ${route.path} as another user: ${asIntruder.text}`).toBe(404);
  expect(JSON.parse(asIntruder.text)).toMatchObject({ code: 'not_found' });
  expect(asIntruder.text).not.toContain(owner.email);
  expect(asIntruder.text).not.toContain(owner.id);

  const asOwner = await call(baseUrl, route, owner);
  expect(asOwner.status, `${route.method} ${route.path} as its owner: ${asOwner.text}`).toBe(route.ownerStatus ?? 200);
}
