import { and, eq, sql } from 'drizzle-orm';
import type { QueryRunner } from '../../db/client.js';
import { integrationCredentials } from '../../db/schema.js';
import type { IntegrationProvider } from './integrations.schemas.js';

export type IntegrationRow = typeof integrationCredentials.$inferSelect;

export async function upsertIntegration(db: QueryRunner, values: { userId: string; provider: IntegrationProvider; credentials: unknown }): Promise<IntegrationRow> {
  const [row] = await db
    .insert(integrationCredentials)
    .values({ ...values, isActive: true })
    .onConflictDoUpdate({
      target: [integrationCredentials.userId, integrationCredentials.provider],
      set: { credentials: values.credentials, isActive: true, updatedAt: sql`now()` },
    })
    .returning();
  return row!;
}

export async function findIntegration(db: QueryRunner, userId: string, provider: IntegrationProvider): Promise<IntegrationRow | undefined> {
  const [row] = await db
    .select()
    .from(integrationCredentials)
    .where(and(eq(integrationCredentials.userId, userId), eq(integrationCredentials.provider, provider)));
  return row;
}

export const listIntegrations = (db: QueryRunner, userId: string) =>
  db.select().from(integrationCredentials).where(eq(integrationCredentials.userId, userId)).orderBy(integrationCredentials.provider);

export async function deleteIntegration(db: QueryRunner, userId: string, provider: IntegrationProvider): Promise<boolean> {
  const deleted = await db
    .delete(integrationCredentials)
    .where(and(eq(integrationCredentials.userId, userId), eq(integrationCredentials.provider, provider)))
    .returning({ id: integrationCredentials.id });
  return deleted.length > 0;
}

export const listAllIntegrations = (db: QueryRunner) => db.select().from(integrationCredentials);

export async function replaceSealedCredentials(db: QueryRunner, id: string, credentials: unknown): Promise<void> {
  await db.update(integrationCredentials).set({ credentials }).where(eq(integrationCredentials.id, id));
}
