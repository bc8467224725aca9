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
}

export type AuthGuards = ReturnType<typeof createAuthGuards>;

/**
 * preHandlers for routes. The token's signature and lifetime are checked, then its session and
 * user in the database on every request, so a logout, a revocation or a disabled account stops
 * the token at once on every instance.
 */
export function createAuthGuards(deps: { database: Database; tokens: TokenService }) {
  async function authenticate(request: FastifyRequest): Promise<void> {
    if (request.user) return;
    const claims = await deps.tokens.claimsOf(request);
    const identity = await findSessionIdentity(deps.database.db, claims.sid, claims.sub);
    if (!identity || identity.revokedAt || identity.expiresAt.getTime() <= Date.now()) {
      throw new AppError('session_revoked', 'The session has ended; log in again');
    }
    if (identity.disabledAt) throw new AppError('user_disabled', 'This account is disabled');
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
