import { randomBytes, type KeyObject } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { errors as joseErrors, jwtVerify } from 'jose';

const TOKEN_TTL_SEC = 3600;
const JWT_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const CLAIM_PROBLEMS: Record<string, string> = { iss: 'issuer_not_found', sub: 'user_not_found' };
const USER = { name: 'Emulated Sender', given_name: 'Emulated', family_name: 'Sender', created: '2024-01-01T00:00:00.000', email: 'sender@docusign-emulator.invalid' };

interface AuthOptions {
  integrationKey: string;
  userId: string;
  accountId: string;
  /** The integration key's RSA public key: JWT assertions are checked with it. */
  publicKey: KeyObject;
  consentGiven: boolean;
  /** The http and https listeners' URLs, known once the emulator listens. */
  baseUrls: () => string[];
}

/** DocuSign's OAuth: the JWT grant, the consent page and userinfo, and checks of the access tokens they issue. */
export function installDocuSignAuth(app: FastifyInstance, options: AuthOptions) {
  const accessTokens = new Map<string, number>(); // token → expiry (ms)
  let consentGiven = options.consentGiven;

  // https://developers.docusign.com/platform/auth/jwt/jwt-get-token/
  app.post('/oauth/token', async (request, reply) => {
    const form = (request.body ?? {}) as Record<string, string>;
    if (form.grant_type !== JWT_GRANT_TYPE) return reply.status(400).send({ error: 'unsupported_grant_type' });
    const problem = await assertionProblem(form.assertion, options);
    if (problem) return reply.status(400).send({ error: 'invalid_grant', error_description: problem });
    if (!consentGiven) return reply.status(400).send({ error: 'consent_required' });
    const token = `emulated-docusign-${randomBytes(24).toString('base64url')}`;
    accessTokens.set(token, Date.now() + TOKEN_TTL_SEC * 1000);
    return { access_token: token, token_type: 'Bearer', expires_in: TOKEN_TTL_SEC };
  });

  // The consent page: consent is granted at once and the browser sent back, as after the user clicks Accept.
  app.get<{ Querystring: Record<string, string> }>('/oauth/auth', async (request, reply) => {
    const { client_id: clientId, redirect_uri: redirectUri } = request.query;
    if (clientId !== options.integrationKey || !redirectUri) return reply.status(400).send({ error: 'invalid_request' });
    consentGiven = true;
    const target = new URL(redirectUri);
    target.searchParams.set('code', randomBytes(12).toString('hex'));
    return reply.redirect(target.toString());
  });

  const tokenProblem = (request: FastifyRequest) => accessTokenProblem(accessTokens, request);

  // https://developers.docusign.com/platform/auth/reference/user-info/
  app.get('/oauth/userinfo', async (request, reply) => {
    const problem = tokenProblem(request);
    if (problem) return reply.status(401).send(problem);
    return {
      sub: options.userId,
      ...USER,
      // The base URI on the scheme the caller came in on: an SDK on https stays on https.
      accounts: [{ account_id: options.accountId, is_default: true, account_name: 'Emulated Account', base_uri: options.baseUrls().find((url) => url.startsWith(`${request.protocol}:`)) }],
    };
  });

  return {
    user: USER,
    tokenProblem,
    setConsent: (given: boolean) => void (consentGiven = given),
    issuedTokenCount: () => accessTokens.size,
    expireAccessTokens: () => {
      for (const token of accessTokens.keys()) accessTokens.set(token, 0);
    },
  };
}

async function assertionProblem(assertion: string | undefined, options: AuthOptions): Promise<string | undefined> {
  if (!assertion) return 'invalid_request';
  try {
    const { payload } = await jwtVerify(assertion, options.publicKey, {
      algorithms: ['RS256'],
      issuer: options.integrationKey,
      subject: options.userId,
      // DocuSign's SDKs put the OAuth host in `aud`: either listener's is this emulator's.
      audience: options.baseUrls().map((url) => new URL(url).host),
      requiredClaims: ['iat', 'exp'],
    });
    const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ') : [];
    return scopes.includes('signature') && scopes.includes('impersonation') ? undefined : 'invalid_scope';
  } catch (error) {
    if (error instanceof joseErrors.JWTClaimValidationFailed) return CLAIM_PROBLEMS[error.claim] ?? `invalid_${error.claim}`;
    return 'no_valid_keys_or_signatures';
  }
}

function accessTokenProblem(accessTokens: Map<string, number>, request: FastifyRequest): { errorCode: string; message: string } | undefined {
  const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
  const expiresAt = token ? accessTokens.get(token) : undefined;
  if (expiresAt === undefined) return { errorCode: 'USER_AUTHENTICATION_FAILED', message: 'One or both of Username and Password are invalid. Invalid access token' };
  if (expiresAt <= Date.now()) return { errorCode: 'AUTHORIZATION_INVALID_TOKEN', message: 'The access token provided is expired, revoked or malformed.' };
  return undefined;
}
