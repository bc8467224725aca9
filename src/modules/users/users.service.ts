import type { Database, QueryRunner } from '../../db/client.js';
import { isUniqueViolation } from '../../db/errors.js';
import { AppError } from '../../lib/errors.js';
import { paginationOf, type PaginationQuery } from '../../lib/pagination.js';
import type { RequestContext } from '../../lib/request-context.js';
import type { AuditService } from '../audit/audit.service.js';
import { hashPassword, verifyPassword } from '../auth/auth.passwords.js';
import type { Role } from '../auth/auth.permissions.js';
import type { SessionsService } from '../auth/sessions.service.js';
import type { FilesService } from '../files/files.service.js';
import { deleteUser, findUserByEmail, findUserById, insertUser, listUsers, lockActiveAdmins, updateUser, type UserRow } from './users.repo.js';

export function toUserResponse(user: UserRow) {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    disabled: user.disabledAt !== null,
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
  };
}

export type UserResponse = ReturnType<typeof toUserResponse>;

/** People's accounts: their profile, password and deletion, and what an admin changes. */
export interface UsersService {
  findById(userId: string, db: QueryRunner): Promise<UserRow | undefined>;
  findByEmail(email: string): Promise<UserRow | undefined>;
  /** @throws AppError not_found */
  profile(userId: string): Promise<UserRow>;
  /** A new account (an admin when its e-mail is in ADMIN_EMAILS), inside the caller's transaction. @throws AppError email_taken */
  create(input: { email: string; password: string; name?: string }, db: QueryRunner): Promise<UserRow>;
  /** @throws AppError email_taken */
  updateProfile(userId: string, changes: { name?: string | null; email?: string }, context: RequestContext): Promise<UserRow>;
  /** Changes the password and ends every other session of the user. @throws AppError invalid_credentials */
  changePassword(userId: string, sessionId: string, input: { currentPassword: string; newPassword: string }, context: RequestContext): Promise<void>;
  /**
   * Deletes the account and, through ON DELETE CASCADE, everything it owns; then its stored files
   * (transcripts, PDFs, signed documents). The audit row stays.
   * @throws AppError invalid_credentials, last_admin
   */
  deleteAccount(userId: string, password: string, context: RequestContext): Promise<void>;
  list(query: PaginationQuery & { search?: string }): Promise<{ users: UserResponse[]; pagination: ReturnType<typeof paginationOf> }>;
  /** An admin changes another user's role or disables the account; a disabled user's tokens stop at once. @throws AppError last_admin */
  updateAsAdmin(adminId: string, userId: string, changes: { role?: Role; disabled?: boolean }, context: RequestContext): Promise<UserRow>;
  /** `npm run user:promote`: makes an existing user an admin. */
  promote(email: string): Promise<void>;
}

export interface UsersServiceDeps {
  database: Database;
  audit: AuditService;
  sessions: SessionsService;
  files: Pick<FilesService, 'deleteFiles' | 'keysOfUser'>;
  adminEmails: string[];
}

const emailTaken = () => new AppError('email_taken', 'An account with this e-mail already exists');

export function createUsersService(deps: UsersServiceDeps): UsersService {
  const { database, audit, sessions } = deps;

  async function requireUser(userId: string, db: QueryRunner): Promise<UserRow> {
    const user = await findUserById(db, userId);
    if (!user) throw new AppError('not_found', 'User not found');
    return user;
  }

  /**
   * Before `user` stops being an active admin (demoted, disabled, deleted): another must remain,
   * or no one could administer the service again without a shell.
   * @throws AppError last_admin
   */
  async function requireAnotherAdmin(db: QueryRunner, user: UserRow) {
    if (user.role !== 'admin' || user.disabledAt) return;
    const admins = await lockActiveAdmins(db);
    if (admins.every((id) => id === user.id)) {
      throw new AppError('last_admin', 'This is the last active admin: make another user an admin first');
    }
  }

  async function requirePassword(user: UserRow, password: string) {
    if (!(await verifyPassword(user.passwordHash, password))) {
      throw new AppError('invalid_credentials', 'The password is not correct');
    }
  }

  return {
    findById: (userId, db) => findUserById(db, userId),
    findByEmail: (email) => findUserByEmail(database.db, email),
    profile: (userId) => requireUser(userId, database.db),

    async create(input, db) {
      const role: Role = deps.adminEmails.includes(input.email) ? 'admin' : 'user';
      try {
        return await insertUser(db, { email: input.email, name: input.name ?? null, passwordHash: await hashPassword(input.password), role });
      } catch (error) {
        if (isUniqueViolation(error)) throw emailTaken();
        throw error;
      }
    },

    async updateProfile(userId, changes, context) {
      return database.transaction(async ({ db }) => {
        const before = await requireUser(userId, db);
        let updated: UserRow | undefined;
        try {
          updated = await updateUser(db, userId, changes);
        } catch (error) {
          if (isUniqueViolation(error)) throw emailTaken();
          throw error;
        }
        const changed = Object.keys(changes).filter((field) => before[field as keyof UserRow] !== changes[field as keyof typeof changes]);
        await audit.record(
          { userId, action: 'user.profile_updated', resourceType: 'user', resourceId: userId, details: { changed }, context },
          db,
        );
        return updated!;
      });
    },

    async changePassword(userId, sessionId, input, context) {
      const user = await requireUser(userId, database.db);
      await requirePassword(user, input.currentPassword);
      const passwordHash = await hashPassword(input.newPassword);
      await database.transaction(async ({ db }) => {
        await updateUser(db, userId, { passwordHash });
        await sessions.revokeAllOf(userId, 'password_changed', { except: sessionId }, db);
        await audit.record({ userId, action: 'user.password_changed', resourceType: 'user', resourceId: userId, context }, db);
      });
    },

    async deleteAccount(userId, password, context) {
      const user = await requireUser(userId, database.db);
      await requirePassword(user, password);
      const fileKeys = await database.transaction(async ({ db }) => {
        await requireAnotherAdmin(db, user);
        const keys = await deps.files.keysOfUser(userId, db);
        await audit.record({ userId, action: 'user.deleted', resourceType: 'user', resourceId: userId, context }, db);
        await deleteUser(db, userId);
        return keys;
      });
      await deps.files.deleteFiles(fileKeys);
    },

    async list(query) {
      const { rows, total } = await listUsers(database.db, query);
      return { users: rows.map(toUserResponse), pagination: paginationOf(query, total) };
    },

    async updateAsAdmin(adminId, userId, changes, context) {
      return database.transaction(async ({ db }) => {
        const user = await requireUser(userId, db);
        if ((changes.role && changes.role !== 'admin') || changes.disabled) await requireAnotherAdmin(db, user);
        const updated = await updateUser(db, userId, {
          ...(changes.role ? { role: changes.role } : {}),
          ...(changes.disabled === undefined ? {} : { disabledAt: changes.disabled ? new Date() : null }),
        });
        if (changes.disabled) await sessions.revokeAllOf(userId, 'user_disabled', {}, db);
        await audit.record(
          { userId: adminId, action: 'admin.user_updated', resourceType: 'user', resourceId: userId, details: { ...changes }, context },
          db,
        );
        return updated!;
      });
    },

    async promote(email) {
      const user = await findUserByEmail(database.db, email.trim().toLowerCase());
      if (!user) throw new AppError('not_found', `No user with the e-mail ${email}`);
      await database.transaction(async ({ db }) => {
        await updateUser(db, user.id, { role: 'admin' });
        await audit.record({ userId: user.id, action: 'user.promoted', resourceType: 'user', resourceId: user.id, details: { role: 'admin' } }, db);
      });
    },
  };
}
