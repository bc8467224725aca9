import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { RouteLimiter } from '../../lib/rate-limits.js';
import { requestContextOf } from '../../lib/request-context.js';
import { successResponse } from '../users/users.schemas.js';
import { currentUser } from './auth.guards.js';
import { authResponse, loginBody, refreshBody, refreshResponse, registerBody } from './auth.schemas.js';
import type { AuthService } from './auth.service.js';

export function authRoutes(deps: { auth: AuthService; loginLimiter: RouteLimiter }): FastifyPluginAsyncZod {
  const { auth } = deps;
  return async (app) => {
    app.post(
      '/register',
      { schema: { tags: ['auth'], summary: 'Create an account; answers with its first session', body: registerBody, response: { 201: authResponse } } },
      async (request, reply) => reply.status(201).send(await auth.register(request.body, requestContextOf(request))),
    );

    app.post(
      '/login',
      {
        schema: { tags: ['auth'], summary: 'Start a session (5 attempts a minute per e-mail and IP)', body: loginBody, response: { 200: authResponse } },
        preHandler: deps.loginLimiter,
      },
      async (request) => auth.login(request.body, requestContextOf(request)),
    );

    app.post(
      '/refresh',
      {
        schema: {
          tags: ['auth'],
          summary: 'Trade a refresh token for a new pair; a reused token revokes its session',
          body: refreshBody,
          response: { 200: refreshResponse },
        },
      },
      async (request) => {
        const { token, refreshToken, expiresIn } = await auth.refresh(request.body.refreshToken, requestContextOf(request));
        return { token, refreshToken, expiresIn };
      },
    );

    app.post(
      '/logout',
      {
        schema: { tags: ['auth'], summary: 'End this session: its tokens stop working at once', security: [{ bearerAuth: [] }], response: { 200: successResponse } },
      },
      async (request) => {
        await auth.logout(currentUser(request), requestContextOf(request));
        return { success: true as const };
      },
    );
  };
}
