import { and, count, desc, eq, ilike, isNull, or } from 'drizzle-orm';
import type { QueryRunner } from '../../db/client.js';
import { users } from '../../db/schema.js';
import { offsetOf, type PaginationQuery } from '../../lib/pagination.js';

export type UserRow = typeof users.$inferSelect;

export async function insertUser(db: QueryRunner, values: typeof users.$inferInsert): Promise<UserRow> {
  const [user] = await db.insert(users).values(values).returning();
  return user!;
}

export async function findUserById(db: QueryRunner, id: string): Promise<UserRow | undefined> {
  const [user] = await db.select().from(users).where(eq(users.id, id));
  return user;
}

export async function findUserByEmail(db: QueryRunner, email: string): Promise<UserRow | undefined> {
  const [user] = await db.select().from(users).where(eq(users.email, email));
  return user;
}

export async function updateUser(
  db: QueryRunner,
  id: string,
  values: Partial<Pick<UserRow, 'email' | 'name' | 'passwordHash' | 'role' | 'disabledAt'>>,
): Promise<UserRow | undefined> {
  const [user] = await db.update(users).set(values).where(eq(users.id, id)).returning();
  return user;
}

/** The active admins' ids, their rows locked until the transaction ends: who administers changes one change at a time. */
export async function lockActiveAdmins(db: QueryRunner): Promise<string[]> {
  const rows = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.role, 'admin'), isNull(users.disabledAt)))
    .for('update');
  return rows.map((row) => row.id);
}

export async function deleteUser(db: QueryRunner, id: string): Promise<void> {
  await db.delete(users).where(eq(users.id, id));
}

export async function listUsers(db: QueryRunner, query: PaginationQuery & { search?: string }) {
  const where = query.search ? or(ilike(users.email, `%${query.search}%`), ilike(users.name, `%${query.search}%`)) : undefined;
  const [rows, [total]] = await Promise.all([
    db.select().from(users).where(where).orderBy(desc(users.createdAt), desc(users.id)).limit(query.limit).offset(offsetOf(query)),
    db.select({ value: count() }).from(users).where(where),
  ]);
  return { rows, total: total?.value ?? 0 };
}
