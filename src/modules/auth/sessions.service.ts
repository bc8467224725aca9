import { createHmac, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { deleteInBatches } from '../../db/batches.js';
import type { Database, QueryRunner } from '../../db/client.js';
import { defineJob, type AnyJobDefinition } from '../../jobs/job.js';
import { AppError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import type { RequestContext } from '../../lib/request-context.js';
import type { Role } from './auth.permissions.js';
import type { TokenService } from './auth.tokens.js';
import {
  deleteRefreshTokensExpiredBefore,
  deleteSessionsEndedBefore,
  extendSession,
  findRefreshTokenForUpdate,
  insertRefreshToken,
  insertSession,
  markRefreshTokenRotated,
  revokeSession,
  revokeSessionsOfUser,
} from './sessions.repo.js';

export interface SessionUser {
  id: string;
  email: string;
  role: Role;
  disabledAt: Date | null;
}

export interface IssuedTokens {
  token: string;
  refreshToken: string;
  expiresIn: number;
  sessionId: string;
}

/** What trading a refresh token gave: new tokens, or why not (`reusedBy`: the session a copied token revoked). */
export type RotationOutcome =
  | { error: AppError; reusedBy?: { id: string; userId: string } }
  | { error?: undefined; reusedBy?: undefined; user: SessionUser; tokens: IssuedTokens };

export interface SessionsService {
  /** A new session for `user` and its first tokens, inside the caller's transaction. */
  start(user: SessionUser, context: RequestContext, db: QueryRunner): Promise<IssuedTokens>;
  /**
   * Trades a refresh token for a new pair; `loadUser` reads the session's user in the same transaction.
   * Errors: refresh_token_invalid | refresh_token_expired | refresh_token_reused | session_revoked | user_disabled.
   */
  rotate(refreshToken: string, loadUser: (db: QueryRunner, userId: string) => Promise<SessionUser | undefined>): Promise<RotationOutcome>;
  revoke(sessionId: string, reason: string, db: QueryRunner): Promise<void>;
  /** Ends every session of the user (but `except`): their access tokens stop at once. */
  revokeAllOf(userId: string, reason: string, options: { except?: string }, db: QueryRunner): Promise<void>;
  /**
   * Deletes, in batches, the sessions that expired or were revoked over SESSION_RETENTION_DAYS
   * before `now` (their refresh tokens with them), and the refresh tokens of live sessions that
   * expired that long ago. Returns how many rows of each.
   */
  deleteEnded(now?: Date): Promise<{ sessions: number; refreshTokens: number }>;
  /** The clean-up's job, for the worker to run. */
  jobs: AnyJobDefinition[];
  /** The clean-up, hourly. */
  schedules: { job: AnyJobDefinition; cron: string }[];
}

export interface SessionsServiceDeps {
  database: Database;
  tokens: TokenService;
  refreshTokenSecret: string;
  refreshTokenTtlSec: number;
  /** An ended session (and its refresh tokens) is kept this long (SESSION_RETENTION_DAYS): the user sees where they were signed in, and a copied old token is still recognised. */
  retentionDays: number;
  log: Logger;
}

/**
 * Sessions and their refresh tokens: opaque 256-bit values, stored only as HMAC-SHA256 under
 * JWT_REFRESH_SECRET, rotated on every use. A rotated token presented again means it was
 * copied: the whole session is revoked.
 */
export function createSessionsService(deps: SessionsServiceDeps): SessionsService {
  const hashOf = (refreshToken: string) => createHmac('sha256', deps.refreshTokenSecret).update(refreshToken).digest('hex');
  const expiryFromNow = () => new Date(Date.now() + deps.refreshTokenTtlSec * 1000);

  async function issueRefreshToken(db: QueryRunner, sessionId: string, expiresAt: Date): Promise<string> {
    const refreshToken = randomBytes(32).toString('base64url');
    await insertRefreshToken(db, { sessionId, tokenHash: hashOf(refreshToken), expiresAt });
    return refreshToken;
  }

  async function issueTokens(db: QueryRunner, user: SessionUser, sessionId: string, expiresAt: Date): Promise<IssuedTokens> {
    const refreshToken = await issueRefreshToken(db, sessionId, expiresAt);
    const token = await deps.tokens.signAccessToken({ userId: user.id, email: user.email, role: user.role, sessionId });
    return { token, refreshToken, expiresIn: deps.tokens.accessTokenTtlSec, sessionId };
  }

  async function deleteEnded(now = new Date()) {
    const cutoff = new Date(now.getTime() - deps.retentionDays * 86_400_000);
    const deleted = {
      sessions: await deleteInBatches((limit) => deleteSessionsEndedBefore(deps.database.db, cutoff, limit)),
      refreshTokens: await deleteInBatches((limit) => deleteRefreshTokensExpiredBefore(deps.database.db, cutoff, limit)),
    };
    if (deleted.sessions + deleted.refreshTokens > 0) deps.log.info(deleted, 'ended sessions and expired refresh tokens deleted');
    return deleted;
  }
  const cleanupJob = defineJob({ name: 'delete-ended-sessions', payloadSchema: z.object({}).passthrough(), retryLimit: 0, handler: async () => void (await deleteEnded()) });

  return {
    deleteEnded,
    jobs: [cleanupJob],
    schedules: [{ job: cleanupJob, cron: '43 * * * *' }],

    async start(user, context, db) {
      const expiresAt = expiryFromNow();
      const session = await insertSession(db, {
        userId: user.id,
        userAgent: context.userAgent ?? null,
        ipAddress: context.ip ?? null,
        expiresAt,
      });
      return issueTokens(db, user, session.id, expiresAt);
    },

    async rotate(refreshToken, loadUser) {
      return deps.database.transaction(async ({ db }): Promise<RotationOutcome> => {
        const found = await findRefreshTokenForUpdate(db, hashOf(refreshToken));
        if (!found) return { error: new AppError('refresh_token_invalid', 'The refresh token is not valid') };
        const { token, session } = found;
        if (session.revokedAt) return { error: new AppError('session_revoked', 'The session has ended') };
        if (token.rotatedAt) {
          await revokeSession(db, session.id, 'refresh_token_reused');
          return {
            reusedBy: session,
            error: new AppError('refresh_token_reused', 'This refresh token was already used; the session is revoked'),
          };
        }
        if (token.expiresAt.getTime() <= Date.now()) return { error: new AppError('refresh_token_expired', 'The refresh token has expired') };
        const user = await loadUser(db, session.userId);
        if (!user || user.disabledAt) return { error: new AppError('user_disabled', 'This account is disabled') };

        await markRefreshTokenRotated(db, token.id);
        const expiresAt = expiryFromNow();
        await extendSession(db, session.id, expiresAt);
        return { user, tokens: await issueTokens(db, user, session.id, expiresAt) };
      });
    },

    revoke: (sessionId, reason, db) => revokeSession(db, sessionId, reason),
    revokeAllOf: (userId, reason, options, db) => revokeSessionsOfUser(db, userId, reason, options),
  };
}
