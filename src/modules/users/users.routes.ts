import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requestContextOf } from '../../lib/request-context.js';
import { currentUser } from '../auth/auth.guards.js';
import { changePasswordBody, deleteAccountBody, successResponse, updateProfileBody, userResponse } from './users.schemas.js';
import { toUserResponse, type UsersService } from './users.service.js';

const security = [{ bearerAuth: [] }];

/** The signed-in user's own account, under /v1/user. */
export function userRoutes(deps: { users: UsersService }): FastifyPluginAsyncZod {
  const { users } = deps;
  return async (app) => {

    app.get('/profile', { schema: { tags: ['user'], security, response: { 200: userResponse } } }, async (request) => ({
      user: toUserResponse(await users.profile(currentUser(request).id)),
    }));

    app.patch(
      '/profile',
      { schema: { tags: ['user'], security, body: updateProfileBody, response: { 200: userResponse } } },
      async (request) => ({
        user: toUserResponse(await users.updateProfile(currentUser(request).id, request.body, requestContextOf(request))),
      }),
    );

    app.post(
      '/password',
      { schema: { tags: ['user'], summary: 'Change the password; every other session ends', security, body: changePasswordBody, response: { 200: successResponse } } },
      async (request) => {
        const { id, sessionId } = currentUser(request);
        await users.changePassword(id, sessionId, request.body, requestContextOf(request));
        return { success: true as const };
      },
    );

    app.delete(
      '',
      {
        schema: {
          tags: ['user'],
          summary: 'Delete the account and everything it owns (needs the password)',
          security,
          body: deleteAccountBody,
          response: { 200: successResponse },
        },
      },
      async (request) => {
        await users.deleteAccount(currentUser(request).id, request.body.password, requestContextOf(request));
        return { success: true as const };
      },
    );
  };
}
