import type { Database } from '../../db/client.js';
import { AppError } from '../../lib/errors.js';
import type { RequestContext } from '../../lib/request-context.js';
import type { AuditService } from '../audit/audit.service.js';
import { verifyAgainstDummy, verifyPassword } from '../auth/auth.passwords.js';
import type { IssuedTokens, SessionsService } from '../auth/sessions.service.js';
import { toUserResponse, type UserResponse, type UsersService } from '../users/users.service.js';

/** `/v1/auth`: creating an account and the sessions that log in, refresh and log out. */
export interface AccountsService {
  /** The new account and its first session. @throws AppError email_taken */
  register(input: { email: string; password: string; name?: string }, context: RequestContext): Promise<AccountSession>;
  /** The same answer, in about the same time, whether or not the e-mail exists. @throws AppError invalid_credentials, user_disabled */
  login(input: { email: string; password: string }, context: RequestContext): Promise<AccountSession>;
  /** @throws AppError refresh_token_invalid | refresh_token_expired | refresh_token_reused | session_revoked | user_disabled */
  refresh(refreshToken: string, context: RequestContext): Promise<IssuedTokens>;
  logout(user: { id: string; sessionId: string }, context: RequestContext): Promise<void>;
}

type AccountSession = { user: UserResponse } & IssuedTokens;

const invalidCredentials = () => new AppError('invalid_credentials', 'E-mail or password is not correct');

export function createAccountsService(deps: { database: Database; users: UsersService; sessions: SessionsService; audit: AuditService }): AccountsService {
  const { database, users, sessions, audit } = deps;

  return {
    async register(input, context) {
      return database.transaction(async ({ db }) => {
        const user = await users.create(input, db);
        const tokens = await sessions.start(user, context, db);
        await audit.record(
          { userId: user.id, action: 'auth.register', resourceType: 'user', resourceId: user.id, details: { email: user.email }, context },
          db,
        );
        return { user: toUserResponse(user), ...tokens };
      });
    },

    async login(input, context) {
      const user = await users.findByEmail(input.email);
      const isPasswordRight = user ? await verifyPassword(user.passwordHash, input.password) : await verifyAgainstDummy(input.password);
      if (!user || !isPasswordRight) {
        await audit.record(
          {
            userId: user?.id ?? null,
            action: 'auth.login_failed',
            resourceType: 'user',
            resourceId: user?.id ?? null,
            details: { email: input.email, reason: user ? 'wrong_password' : 'unknown_email' },
            context,
          },
          database.db,
        );
        throw invalidCredentials();
      }
      if (user.disabledAt) {
        await audit.record({ userId: user.id, action: 'auth.login_failed', resourceType: 'user', resourceId: user.id, details: { reason: 'disabled' }, context }, database.db);
        throw new AppError('user_disabled', 'This account is disabled');
      }
      return database.transaction(async ({ db }) => {
        const tokens = await sessions.start(user, context, db);
        await audit.record(
          { userId: user.id, action: 'auth.login', resourceType: 'session', resourceId: tokens.sessionId, context },
          db,
        );
        return { user: toUserResponse(user), ...tokens };
      });
    },

    async refresh(refreshToken, context) {
      const outcome = await sessions.rotate(refreshToken, (db, userId) => users.findById(userId, db));
      if (outcome.reusedBy) {
        await audit.record(
          { userId: outcome.reusedBy.userId, action: 'auth.refresh_reused', resourceType: 'session', resourceId: outcome.reusedBy.id, details: { revoked: true }, context },
          database.db,
        );
      }
      if (outcome.error) throw outcome.error;
      return outcome.tokens;
    },

    async logout(user, context) {
      await database.transaction(async ({ db }) => {
        await sessions.revoke(user.sessionId, 'logout', db);
        await audit.record({ userId: user.id, action: 'auth.logout', resourceType: 'session', resourceId: user.sessionId, context }, db);
      });
    },
  };
}
