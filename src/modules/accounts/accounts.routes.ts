import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { RouteLimiter } from '../../lib/rate-limits.js';
import { requestContextOf } from '../../lib/request-context.js';
import { successResponse } from '../users/users.schemas.js';
import { currentUser } from '../auth/auth.guards.js';
import { authResponse, loginBody, refreshBody, refreshResponse, registerBody } from './accounts.schemas.js';
import type { AccountsService } from './accounts.service.js';

/** `/v1/auth`: creating an account, and the sessions that log in, refresh and log out. */
export function accountsRoutes(deps: { accounts: AccountsService; loginLimiter: RouteLimiter }): FastifyPluginAsyncZod {
  const { accounts } = deps;
  return async (app) => {
    app.post(
      '/register',
      {
        schema: {
          operationId: 'register',
          tags: ['auth'],
          summary: 'Create an account',
          description: 'E-mail trimmed and lower-cased; password 8 to 256 characters. Answers with the account and its first session.',
          security: [],
          body: registerBody,
          errors: ['email_taken'],
          response: { 201: authResponse },
        },
      },
      async (request, reply) => reply.status(201).send(await accounts.register(request.body, requestContextOf(request))),
    );

    app.post(
      '/login',
      {
        schema: {
          operationId: 'login',
          tags: ['auth'],
          summary: 'Start a session',
          description: 'An access token (15 minutes) and a refresh token. At most 5 attempts a minute per e-mail and IP.',
          security: [],
          body: loginBody,
          errors: ['invalid_credentials', 'user_disabled'],
          response: { 200: authResponse },
        },
        preHandler: deps.loginLimiter,
      },
      async (request) => accounts.login(request.body, requestContextOf(request)),
    );

    app.post(
      '/refresh',
      {
        schema: {
          operationId: 'refreshSession',
          tags: ['auth'],
          summary: 'Trade a refresh token for a new pair',
          description: 'Each refresh token works once; presenting a used one again revokes its whole session (`refresh_token_reused`).',
          security: [],
          body: refreshBody,
          errors: ['refresh_token_invalid', 'refresh_token_expired', 'refresh_token_reused', 'session_revoked', 'user_disabled'],
          response: { 200: refreshResponse },
        },
      },
      async (request) => {
        const { token, refreshToken, expiresIn } = await accounts.refresh(request.body.refreshToken, requestContextOf(request));
        return { token, refreshToken, expiresIn };
      },
    );

    app.post(
      '/logout',
      {
        schema: {
          operationId: 'logout',
          tags: ['auth'],
          summary: 'End this session',
          description: "The session's access and refresh tokens stop working at once.",
          security: [{ bearerAuth: [] }],
          response: { 200: successResponse },
        },
      },
      async (request) => {
        await accounts.logout(currentUser(request), requestContextOf(request));
        return { success: true as const };
      },
    );
  };
}
