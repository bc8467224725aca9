import { createPrivateKey, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import type { z } from 'zod';
import { requestProvider, type Fetch } from '../http-json.js';
import { ProviderError } from '../provider-error.js';
import type { Resilience } from '../resilience.js';
import { createTokenCache, type AccessToken, type TokenCache } from '../token-cache.js';
import {
  docusignEnvelope,
  docusignEnvelopesInformation,
  docusignEnvelopeSummary,
  docusignEnvelopeUpdateSummary,
  docusignErrorCodeOf,
  docusignRecipients,
  docusignTokenResponse,
  docusignUserInfo,
  type DocuSignEnvelope,
  type DocuSignEnvelopeSummary,
  type DocuSignRecipients,
  type DocuSignUserInfo,
} from './docusign.schemas.js';

export interface DocuSignCredentials {
  integrationKey: string;
  userId: string;
  /** Unset: the user's default account. */
  accountId?: string;
  /** PEM, PKCS#1 (as DocuSign's admin page gives it) or PKCS#8. */
  privateKey: string;
  oauthBasePath?: string;
}

export interface DocuSignSignerInput {
  email: string;
  name: string;
  recipientId: string;
  routingOrder: number;
}

export interface DocuSignEnvelopeInput {
  pdf: Buffer;
  documentName: string;
  emailSubject: string;
  emailBlurb?: string;
  signers: DocuSignSignerInput[];
  /** The text the PDF carries where the signer at `index` signs, e.g. '/sig1/'. */
  anchorOf: (index: number) => string;
  /** Where the signature goes relative to the anchor text; 0, 0 unless said. */
  anchorOffsetPx?: { x: number; y: number };
  /** Connect reports this envelope's changes there (JSON SIM, signed with the account's HMAC keys). */
  webhookUrl?: string;
  /** Our id for the envelope, kept in a hidden custom field: after an unanswered create, `envelopesByReference` finds it. */
  reference?: string;
}

/** The hidden envelope custom field that carries our reference. */
export const REFERENCE_FIELD = 'atasReference';

export type DocuSignClient = ReturnType<typeof createDocuSignClient>;

const JWT_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const JWT_SCOPE = 'signature impersonation';
const JWT_LIFETIME_SEC = 3600;
// The codes of an API call made with an expired or revoked access token: worth one fresh token.
const EXPIRED_TOKEN_CODES = new Set(['USER_AUTHENTICATION_FAILED', 'AUTHORIZATION_INVALID_TOKEN']);
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
const PDF_MAGIC = Buffer.from('%PDF-');
const CONNECT_EVENTS = [
  'envelope-sent',
  'envelope-delivered',
  'envelope-completed',
  'envelope-declined',
  'envelope-voided',
  'recipient-sent',
  'recipient-delivered',
  'recipient-completed',
  'recipient-declined',
];

/** `account-d.docusign.com` or a URL; plain http only for a local emulator, since the JWT assertion travels on it. */
function oauthBaseUrlOf(oauthBasePath: string): URL {
  const url = new URL(/^https?:\/\//i.test(oauthBasePath) ? oauthBasePath : `https://${oauthBasePath}`);
  if (url.protocol === 'http:' && !LOOPBACK_HOSTS.has(url.hostname)) throw new Error('the DocuSign OAuth base path must use https');
  return url;
}

/** DocuSign's SDKs call `https://demo.docusign.net/restapi` the base path, userinfo's base_uri lacks `/restapi`: accept both. */
function restApiUrlOf(basePath: string): string {
  const trimmed = basePath.replace(/\/+$/, '');
  return trimmed.endsWith('/restapi') ? trimmed : `${trimmed}/restapi`;
}

/** DocuSign says when its hourly quota resets in X-RateLimit-Reset (epoch seconds); requestProvider reads Retry-After. */
function withRateLimitReset(fetchFn: Fetch): Fetch {
  return async (input, init) => {
    const response = await fetchFn(input, init);
    const resetSec = Number(response.headers.get('x-ratelimit-reset'));
    if (response.status !== 429 || response.headers.has('retry-after') || !resetSec) return response;
    const headers = new Headers(response.headers);
    headers.set('retry-after', String(Math.max(0, Math.ceil(resetSec - Date.now() / 1000))));
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  };
}

function envelopeDefinitionOf(input: DocuSignEnvelopeInput) {
  const offset = input.anchorOffsetPx ?? { x: 0, y: 0 };
  return {
    emailSubject: input.emailSubject,
    ...(input.emailBlurb === undefined ? {} : { emailBlurb: input.emailBlurb }),
    documents: [{ documentId: '1', name: input.documentName, fileExtension: 'pdf', documentBase64: input.pdf.toString('base64') }],
    recipients: {
      signers: input.signers.map((signer, index) => ({
        email: signer.email,
        name: signer.name,
        recipientId: signer.recipientId,
        routingOrder: String(signer.routingOrder),
        tabs: {
          signHereTabs: [
            {
              anchorString: input.anchorOf(index),
              anchorUnits: 'pixels',
              anchorXOffset: String(offset.x),
              anchorYOffset: String(offset.y),
              anchorIgnoreIfNotPresent: 'false',
            },
          ],
        },
      })),
    },
    ...(input.webhookUrl === undefined ? {} : { eventNotification: eventNotificationOf(input.webhookUrl) }),
    ...(input.reference === undefined ? {} : { customFields: { textCustomFields: [{ name: REFERENCE_FIELD, value: input.reference, show: 'false', required: 'false' }] } }),
    status: 'sent',
  };
}

// JSON SIM takes the `events` list; `envelopeEvents`/`recipientEvents` belong to the legacy formats (see the swagger's eventNotification).
function eventNotificationOf(url: string) {
  return {
    url,
    requireAcknowledgment: 'true',
    includeHMAC: 'true',
    eventData: { version: 'restv2.1', format: 'json', includeData: ['recipients'] },
    events: CONNECT_EVENTS,
  };
}

/**
 * DocuSign eSignature REST API v2.1 with the JWT grant. One method per DocuSign operation, named
 * like DocuSign's. The access token is cached until a minute before expiry and shared by
 * concurrent callers; an expired one is refreshed once. Without `apiBasePath` (or without an
 * account id) the account and its base URI come from `/oauth/userinfo`, once.
 * Throws `ProviderError`; `code` is DocuSign's `errorCode`, or OAuth's `consent_required` /
 * `invalid_grant` (the user must act: neither is retried).
 */
export function createDocuSignClient(options: {
  credentials: DocuSignCredentials;
  /** `account-d.docusign.com`, `account.docusign.com`, or an emulator's http://127.0.0.1:port. */
  oauthBasePath: string;
  apiBasePath?: string;
  resilience: Resilience;
  fetch?: Fetch;
  tokenCache?: (fetchToken: () => Promise<AccessToken>) => TokenCache;
}) {
  const { credentials, resilience } = options;
  const docusignFetch = withRateLimitReset(options.fetch ?? fetch);
  const oauthUrl = oauthBaseUrlOf(options.oauthBasePath);
  const oauthBaseUrl = oauthUrl.origin;
  let signingKey: KeyObject | undefined;
  let account: Promise<{ accountId: string; apiUrl: string }> | undefined;

  function privateKey(): KeyObject {
    try {
      signingKey ??= createPrivateKey(credentials.privateKey);
      if (signingKey.asymmetricKeyType !== 'rsa') throw new Error(`a ${signingKey.asymmetricKeyType} key, not RSA`);
      return signingKey;
    } catch (error) {
      throw new ProviderError({ provider: 'docusign', status: 0, code: 'invalid_private_key', message: 'the private key could not be read', retryable: false, cause: error });
    }
  }

  async function signAssertion(): Promise<string> {
    const issuedAtSec = Math.floor(Date.now() / 1000);
    return new SignJWT({ scope: JWT_SCOPE })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
      .setIssuer(credentials.integrationKey)
      .setSubject(credentials.userId)
      .setAudience(oauthUrl.host)
      .setIssuedAt(issuedAtSec)
      .setExpirationTime(issuedAtSec + JWT_LIFETIME_SEC)
      .sign(privateKey());
  }

  async function requestToken(): Promise<AccessToken> {
    const body = new URLSearchParams({ grant_type: JWT_GRANT_TYPE, assertion: await signAssertion() }).toString();
    const response = await resilience.execute('token', (signal) =>
      requestProvider({
        provider: 'docusign',
        fetch: docusignFetch,
        url: `${oauthBaseUrl}/oauth/token`,
        signal,
        schema: docusignTokenResponse,
        errorCodeOf: docusignErrorCodeOf,
        init: { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body },
      }),
    );
    return { token: response.access_token, expiresInSec: response.expires_in };
  }
  const tokens = (options.tokenCache ?? createTokenCache)(requestToken);

  function exchange<T>(operation: string, token: string, method: string, url: string, request: { body?: unknown; schema?: z.ZodType<T>; idempotent?: boolean; fetch?: Fetch } = {}): Promise<T> {
    const hasBody = request.body !== undefined;
    return resilience.execute(operation, (signal) =>
      requestProvider({
        provider: 'docusign',
        fetch: request.fetch ?? docusignFetch,
        url,
        signal,
        schema: request.schema,
        errorCodeOf: docusignErrorCodeOf,
        idempotent: request.idempotent,
        init: {
          method,
          headers: { authorization: `Bearer ${token}`, ...(hasBody ? { 'content-type': 'application/json' } : {}) },
          ...(hasBody ? { body: JSON.stringify(request.body) } : {}),
        },
      }),
    );
  }

  async function withToken<T>(send: (token: string) => Promise<T>): Promise<T> {
    try {
      return await send(await tokens.get());
    } catch (error) {
      if (!(error instanceof ProviderError) || error.status !== 401 || !EXPIRED_TOKEN_CODES.has(error.code)) throw error;
      tokens.invalidate();
      return send(await tokens.get());
    }
  }

  const userInfo = (): Promise<DocuSignUserInfo> => withToken((token) => exchange('userInfo', token, 'GET', `${oauthBaseUrl}/oauth/userinfo`, { schema: docusignUserInfo }));

  async function discoverAccount(): Promise<{ accountId: string; apiUrl: string }> {
    const accountUrl = (basePath: string, accountId: string) => `${restApiUrlOf(basePath)}/v2.1/accounts/${encodeURIComponent(accountId)}`;
    if (options.apiBasePath && credentials.accountId) return { accountId: credentials.accountId, apiUrl: accountUrl(options.apiBasePath, credentials.accountId) };
    const { accounts } = await userInfo();
    const found = credentials.accountId ? accounts.find((candidate) => candidate.account_id === credentials.accountId) : (accounts.find((candidate) => candidate.is_default) ?? accounts[0]);
    if (!found) throw new ProviderError({ provider: 'docusign', status: 0, code: 'account_not_found', message: 'the user has no access to the configured account', retryable: false });
    return { accountId: found.account_id, apiUrl: accountUrl(options.apiBasePath ?? found.base_uri, found.account_id) };
  }

  function resolveAccount() {
    account ??= discoverAccount().catch((error: unknown) => {
      account = undefined;
      throw error;
    });
    return account;
  }

  async function call<T>(operation: string, method: string, path: string, request: { body?: unknown; schema?: z.ZodType<T>; idempotent?: boolean } = {}): Promise<T> {
    const { apiUrl } = await resolveAccount();
    return withToken((token) => exchange(operation, token, method, `${apiUrl}${path}`, request));
  }

  /** requestProvider turns failures into ProviderErrors, but reads a body as text: a PDF is kept aside as bytes. */
  async function download(operation: string, path: string): Promise<Buffer> {
    const { apiUrl } = await resolveAccount();
    let bytes: Buffer | undefined;
    const keepBytes: Fetch = async (input, init) => {
      const response = await docusignFetch(input, init);
      if (!response.ok) return response;
      bytes = Buffer.from(await response.arrayBuffer());
      return new Response(null, { status: 204 });
    };
    await withToken((token) => exchange(operation, token, 'GET', `${apiUrl}${path}`, { fetch: keepBytes }));
    if (!bytes || !bytes.subarray(0, PDF_MAGIC.length).equals(PDF_MAGIC)) {
      throw new ProviderError({ provider: 'docusign', status: 200, code: 'unexpected_response', message: 'answered with something other than a PDF', retryable: false });
    }
    return bytes;
  }

  const envelopePath = (envelopeId: string) => `/envelopes/${encodeURIComponent(envelopeId)}`;

  return {
    /** Where the user grants this integration key consent to impersonate them (after `consent_required`). */
    consentUrl(redirectUri: string): string {
      const query = `response_type=code&scope=${encodeURIComponent(JWT_SCOPE)}&client_id=${encodeURIComponent(credentials.integrationKey)}&redirect_uri=${encodeURIComponent(redirectUri)}`;
      return `${oauthBaseUrl}/oauth/auth?${query}`;
    },
    /** The user and their accounts; a call that proves the credentials, key and consent work. */
    userInfo,
    /** Creates and sends the envelope. Not idempotent: never repeated once it may have reached DocuSign. */
    envelopeCreate: (input: DocuSignEnvelopeInput): Promise<DocuSignEnvelopeSummary> =>
      call('envelopeCreate', 'POST', '/envelopes', { body: envelopeDefinitionOf(input), schema: docusignEnvelopeSummary, idempotent: false }),
    envelope: (envelopeId: string): Promise<DocuSignEnvelope> => call('envelope', 'GET', envelopePath(envelopeId), { schema: docusignEnvelope }),
    /** Envelopes created since `fromDate` whose hidden reference field is `reference` (Envelopes:listStatusChanges). */
    envelopesByReference: async (reference: string, fromDate: Date): Promise<DocuSignEnvelope[]> => {
      const query = new URLSearchParams({ from_date: fromDate.toISOString(), custom_field: `${REFERENCE_FIELD}=${reference}` });
      return (await call('envelopesByReference', 'GET', `/envelopes?${query.toString()}`, { schema: docusignEnvelopesInformation })).envelopes;
    },
    envelopeRecipients: (envelopeId: string): Promise<DocuSignRecipients> => call('envelopeRecipients', 'GET', `${envelopePath(envelopeId)}/recipients`, { schema: docusignRecipients }),
    /** Retried like any PUT: a retry after a void that went through answers ENVELOPE_CANNOT_VOID_INVALID_STATE. */
    envelopeVoid: (envelopeId: string, voidedReason: string): Promise<void> =>
      call('envelopeVoid', 'PUT', envelopePath(envelopeId), { body: { status: 'voided', voidedReason }, schema: docusignEnvelopeUpdateSummary }).then(() => undefined),
    /** Emails the current signers again. Not repeated on failure: a retry could email them twice. */
    envelopeResend: (envelopeId: string): Promise<void> =>
      call('envelopeResend', 'PUT', `${envelopePath(envelopeId)}?resend_envelope=true`, { body: {}, schema: docusignEnvelopeUpdateSummary, idempotent: false }).then(() => undefined),
    /** Every document of the envelope in one PDF, with the signatures made so far. */
    documentCombined: (envelopeId: string): Promise<Buffer> => download('documentCombined', `${envelopePath(envelopeId)}/documents/combined`),
    /** The Certificate of Completion (PDF). */
    certificate: (envelopeId: string): Promise<Buffer> => download('certificate', `${envelopePath(envelopeId)}/documents/certificate`),
  };
}
