import { z } from 'zod';
import { integrationProviders } from '../../db/schema.js';

export const providerParams = z.object({ provider: z.enum(integrationProviders) });
export type IntegrationProvider = (typeof integrationProviders)[number];

const field = z.string().trim().min(1).max(500);

/** The fields each provider needs; anything else is refused. */
export const providerCredentialSchemas = {
  zoom: z.object({ accountId: field, clientId: field, clientSecret: field, webhookSecret: field.optional() }).strict(),
  docusign: z
    .object({
      integrationKey: field,
      userId: field,
      accountId: field.optional(),
      privateKey: z
        .string()
        .max(10_000)
        .transform((value) => value.replace(/\\n/g, '\n'))
        .refine((value) => value.includes('-----BEGIN'), { error: 'must be a PEM-encoded RSA private key' }),
      oauthBasePath: field.optional(),
      connectHmacKeys: field.optional().describe("Your DocuSign account's Connect HMAC keys, comma-separated: Connect messages about your envelopes are verified with them"),
    })
    .strict(),
  openai: z.object({ apiKey: field, baseUrl: z.url({ protocol: /^https?$/ }).optional(), model: field.optional() }).strict(),
} satisfies Record<IntegrationProvider, z.ZodType>;

export type ProviderCredentials = { [P in IntegrationProvider]: z.infer<(typeof providerCredentialSchemas)[P]> };

export const saveIntegrationBody = z.object({ credentials: z.record(z.string(), z.string()) });

export const integration = z
  .object({
    provider: z.enum(integrationProviders),
    isActive: z.boolean(),
    expiresAt: z.iso.datetime({ offset: true }).nullable(),
    fieldsSet: z.array(z.string()).describe('Which credential fields are stored; values are never returned'),
    updatedAt: z.iso.datetime({ offset: true }),
  })
  .meta({ id: 'Integration' });

export const integrationsResponse = z.object({ integrations: z.array(integration) });
export const integrationResponse = z.object({ integration });

const credentialSource = z.enum(['user', 'server', 'emulator', 'none']).describe("Whose credentials are used: the user's, the server's, a local emulator's");

export const integrationsStatusResponse = z.object({
  zoom: z.object({ connected: z.boolean(), scopes: z.array(z.string()), source: credentialSource }),
  docusign: z.object({ connected: z.boolean(), consentRequired: z.boolean(), consentUrl: z.string().optional(), source: credentialSource }),
  openai: z.object({ connected: z.boolean(), source: credentialSource }),
});

export type IntegrationsStatus = z.infer<typeof integrationsStatusResponse>;
