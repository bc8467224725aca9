import type { FastifyRequest } from 'fastify';
import type { Database } from '../../db/client.js';
import { AppError } from '../../lib/errors.js';
import { hasPermissions, type Permission, type Role } from './auth.permissions.js';
import type { TokenService } from './auth.tokens.js';
import { findSessionIdentity } from './sessions.repo.js';

export interface AuthenticatedUser {
  id: string;
  email: string;
  role: Role;
  sessionId: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    user: AuthenticatedUser | undefined;
  }
  interface FastifyContextConfig {
    /** A route with bearer security that checks the credentials it is given itself (not a user's token). */
    checksOwnCredentials?: boolean;
  }
}

/**
 * Guards for routes. Every route that declares bearer security in its schema is authenticated
 * first (an onRequest hook, app.ts); `authorize`, also onRequest, then checks the role: both
 * before the body is read or validated. The token's signature and lifetime are checked, then its
 * session and user in the database on every request, so a logout, a revocation or a disabled
 * account stops the token at once on every instance.
 */
export interface AuthGuards {
  /** Sets `request.user` from a valid bearer token of a live session. @throws AppError token_* (401), session_revoked, user_disabled */
  authenticate(request: FastifyRequest): Promise<void>;
  /** A hook that authenticates, then requires every one of `permissions`. @throws AppError forbidden */
  authorize(...permissions: Permission[]): (request: FastifyRequest) => Promise<void>;
}

export function createAuthGuards(deps: { database: Database; tokens: TokenService }): AuthGuards {
  async function authenticate(request: FastifyRequest): Promise<void> {
    if (request.user) return;
    const claims = await deps.tokens.claimsOf(request);
    const identity = await findSessionIdentity(deps.database.db, claims.sid, claims.sub);
    // Disabling an account also ends its sessions: it is told as what it is.
    if (identity?.disabledAt) throw new AppError('user_disabled', 'This account is disabled');
    if (!identity || identity.revokedAt || identity.expiresAt.getTime() <= Date.now()) {
      throw new AppError('session_revoked', 'The session has ended; log in again');
    }
    request.user = { id: claims.sub, email: identity.email, role: identity.role, sessionId: claims.sid };
  }

  return {
    authenticate,
    authorize(...permissions: Permission[]) {
      return async (request: FastifyRequest) => {
        await authenticate(request);
        if (!hasPermissions(request.user!.role, permissions)) {
          throw new AppError('forbidden', 'You do not have permission to do this');
        }
      };
    },
  };
}

/** The user of an authenticated request (after `authenticate`). */
export function currentUser(request: FastifyRequest): AuthenticatedUser {
  if (!request.user) throw new AppError('token_missing', 'Authentication required');
  return request.user;
}
