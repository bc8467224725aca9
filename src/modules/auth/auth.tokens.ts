import { randomUUID } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import { userRoles } from '../../db/schema.js';
import { AppError } from '../../lib/errors.js';

const accessTokenClaims = z.object({
  sub: z.uuid(),
  email: z.string(),
  role: z.enum(userRoles),
  sid: z.uuid(),
  jti: z.string(),
  type: z.string(),
});

export type AccessTokenClaims = z.infer<typeof accessTokenClaims>;

export interface TokenService {
  signAccessToken(subject: { userId: string; email: string; role: AccessTokenClaims['role']; sessionId: string }): Promise<string>;
  /**
   * The claims of a request's `Authorization: Bearer` token, verified once per request however
   * many ask (the rate-limit key, then the guard).
   * @throws AppError token_missing, token_malformed, or a code that says what is wrong with the token.
   */
  claimsOf(request: BearerRequest): Promise<AccessTokenClaims>;
  /** The bearer's user id when the token's signature holds, without any other check (rate-limit keys). */
  subjectOf(request: BearerRequest): Promise<string | undefined>;
  accessTokenTtlSec: number;
}

/** A request as far as its bearer token goes; the object itself keys the per-request verification. */
export interface BearerRequest {
  headers: { authorization?: string | undefined };
}

const ALGORITHM = 'HS256';

/** Access tokens: HS256 JWTs signed with JWT_SECRET; only HS256 is accepted (never `none`). */
export function createTokenService(options: { secret: string; accessTokenTtlSec: number }): TokenService {
  // Imported once: given raw bytes, jose would import them as a key on every verification.
  const key = crypto.subtle.importKey('raw', new TextEncoder().encode(options.secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
  const verifiedByRequest = new WeakMap<BearerRequest, Promise<AccessTokenClaims>>();

  async function verifyAccessToken(token: string): Promise<AccessTokenClaims> {
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(token, await key, { algorithms: [ALGORITHM], requiredClaims: ['exp'] }));
    } catch (error) {
      throw tokenError(error);
    }
    const claims = accessTokenClaims.safeParse(payload);
    if (!claims.success) throw new AppError('token_claims_invalid', 'The access token lacks required claims');
    if (claims.data.type !== 'access') throw new AppError('token_type_invalid', 'This is not an access token');
    return claims.data;
  }

  function claimsOf(request: BearerRequest): Promise<AccessTokenClaims> {
    let claims = verifiedByRequest.get(request);
    if (!claims) {
      claims = verifyBearer(request.headers.authorization);
      verifiedByRequest.set(request, claims);
    }
    return claims;
  }

  async function verifyBearer(authorization: string | undefined): Promise<AccessTokenClaims> {
    if (!authorization) throw new AppError('token_missing', 'Authentication required: send Authorization: Bearer <token>');
    const token = bearerTokenOf(authorization);
    if (!token) throw new AppError('token_malformed', 'The Authorization header must be Bearer <token>');
    return verifyAccessToken(token);
  }

  return {
    accessTokenTtlSec: options.accessTokenTtlSec,
    signAccessToken: async ({ userId, email, role, sessionId }) =>
      new SignJWT({ email, role, sid: sessionId, type: 'access' })
        .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
        .setSubject(userId)
        .setJti(randomUUID())
        .setIssuedAt()
        .setExpirationTime(Math.floor(Date.now() / 1000) + options.accessTokenTtlSec)
        .sign(await key),
    claimsOf,
    subjectOf: (request) =>
      claimsOf(request).then(
        (claims) => claims.sub,
        () => undefined,
      ),
  };
}

/** The token of an `Authorization: Bearer <token>` header; undefined when absent or malformed. */
export function bearerTokenOf(authorization: string | undefined): string | undefined {
  const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(authorization ?? '');
  return match?.[1];
}

function tokenError(error: unknown): AppError {
  if (error instanceof errors.JWTExpired) return new AppError('token_expired', 'The access token has expired');
  if (error instanceof errors.JOSEAlgNotAllowed) return new AppError('token_algorithm_invalid', 'The access token is not signed with HS256');
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return new AppError('token_signature_invalid', 'The access token signature is not valid');
  }
  if (error instanceof errors.JWTClaimValidationFailed) return new AppError('token_claims_invalid', 'The access token claims are not valid');
  return new AppError('token_malformed', 'The access token is malformed');
}
