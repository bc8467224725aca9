import { z } from 'zod';
import type { Database } from '../../db/client.js';
import { sealedValue, type Encryptor } from '../../lib/crypto.js';
import { AppError } from '../../lib/errors.js';
import { isPrivateUrl } from '../../lib/public-url.js';
import type { RequestContext } from '../../lib/request-context.js';
import type { AuditService } from '../audit/audit.service.js';
import { deleteIntegration, listAllIntegrations, listIntegrations, replaceSealedCredentials, upsertIntegration, type IntegrationRow } from './integrations.repo.js';
import { providerCredentialSchemas, type IntegrationProvider, type ProviderCredentials } from './integrations.schemas.js';

export type IntegrationResponse = ReturnType<typeof toIntegrationResponse>;

const storedCredentials = z.object({ sealed: sealedValue, fields: z.array(z.string()) });

const contextOf = (row: Pick<IntegrationRow, 'userId' | 'provider'>) => `${row.userId}:${row.provider}`;

/** A user's stored credentials for a provider, unsealed and checked against the provider's schema. */
export function openCredentials<P extends IntegrationProvider>(encryptor: Encryptor, row: IntegrationRow, provider: P): ProviderCredentials[P] {
  const { sealed } = storedCredentials.parse(row.credentials);
  return providerCredentialSchemas[provider].parse(JSON.parse(encryptor.open(sealed, contextOf(row)))) as ProviderCredentials[P];
}

function toIntegrationResponse(row: IntegrationRow) {
  return {
    provider: row.provider,
    isActive: row.isActive,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    fieldsSet: storedCredentials.parse(row.credentials).fields,
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** @throws AppError validation_failed when a user's endpoint points where the server must not call. */
function refusePrivateEndpoint(provider: IntegrationProvider, credentials: Record<string, unknown>) {
  const refuse = (field: string, message: string) => {
    throw new AppError('validation_failed', `These are not valid ${provider} credentials`, [{ location: 'body', path: `/credentials/${field}`, message }]);
  };
  if (provider === 'openai' && typeof credentials.baseUrl === 'string' && isPrivateUrl(credentials.baseUrl)) refuse('baseUrl', 'must be a public address');
  if (provider === 'docusign' && typeof credentials.oauthBasePath === 'string' && !/^(https:\/\/)?account(-d)?\.docusign\.com$/i.test(credentials.oauthBasePath)) {
    refuse('oauthBasePath', 'must be account-d.docusign.com or account.docusign.com');
  }
}

/** The credentials a user connects: checked, sealed at rest (bound to their user and provider), audited; re-sealed at a key rotation. */
export function createIntegrationCredentials(deps: {
  database: Database;
  encryptor: Encryptor;
  audit: Pick<AuditService, 'record'>;
  /** In production a user's own endpoints must be public: the server must not be made to call its own network. */
  refusePrivateEndpoints: boolean;
  /** The user's credentials changed: their cached status no longer holds. */
  forgetStatus: (userId: string) => void;
}) {
  const { database, encryptor, audit } = deps;

  return {
    async list(userId: string): Promise<{ integrations: IntegrationResponse[] }> {
      return { integrations: (await listIntegrations(database.db, userId)).map(toIntegrationResponse) };
    },

    async save(userId: string, provider: IntegrationProvider, fields: Record<string, string>, context: RequestContext): Promise<{ integration: IntegrationResponse }> {
      const parsed = providerCredentialSchemas[provider].safeParse(fields);
      if (!parsed.success) {
        throw new AppError(
          'validation_failed',
          `These are not valid ${provider} credentials`,
          parsed.error.issues.map((issue) => ({ location: 'body', path: `/credentials/${issue.path.join('/')}`, message: issue.message })),
        );
      }
      if (deps.refusePrivateEndpoints) refusePrivateEndpoint(provider, parsed.data);
      const fieldNames = Object.keys(parsed.data).sort();
      return database.transaction(async ({ db }) => {
        const sealed = encryptor.seal(JSON.stringify(parsed.data), contextOf({ userId, provider }));
        const row = await upsertIntegration(db, { userId, provider, credentials: { sealed, fields: fieldNames } });
        await audit.record(
          { userId, action: 'integration.saved', resourceType: 'integration', resourceId: row.id, details: { provider, fields: fieldNames }, context },
          db,
        );
        deps.forgetStatus(userId);
        return { integration: toIntegrationResponse(row) };
      });
    },

    async remove(userId: string, provider: IntegrationProvider, context: RequestContext): Promise<void> {
      await database.transaction(async ({ db }) => {
        if (!(await deleteIntegration(db, userId, provider))) throw new AppError('not_found', `No ${provider} integration to remove`);
        await audit.record({ userId, action: 'integration.removed', resourceType: 'integration', details: { provider }, context }, db);
      });
      deps.forgetStatus(userId);
    },

    async rotateKeys(): Promise<{ rotated: number; total: number }> {
      const rows = await listAllIntegrations(database.db);
      let rotated = 0;
      for (const row of rows) {
        const stored = storedCredentials.parse(row.credentials);
        if (stored.sealed.keyId === encryptor.currentKeyId) continue;
        const sealed = encryptor.seal(encryptor.open(stored.sealed, contextOf(row)), contextOf(row));
        await replaceSealedCredentials(database.db, row.id, { ...stored, sealed });
        rotated++;
      }
      return { rotated, total: rows.length };
    },
  };
}
