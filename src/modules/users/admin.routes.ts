import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requestContextOf } from '../../lib/request-context.js';
import { currentUser, type AuthGuards } from '../auth/auth.guards.js';
import { Permission } from '../auth/auth.permissions.js';
import { adminUpdateUserBody, listUsersQuery, userIdParams, userResponse, usersResponse } from './users.schemas.js';
import { toUserResponse, type UsersService } from './users.service.js';

const security = [{ bearerAuth: [] }];

/** User management for admins, under /v1/admin. */
export function adminRoutes(deps: { users: UsersService; guards: AuthGuards }): FastifyPluginAsyncZod {
  const { users, guards } = deps;
  return async (app) => {
    app.addHook('onRequest', guards.authorize(Permission.manageUsers));

    app.get('/users', { schema: { tags: ['admin'], security, querystring: listUsersQuery, response: { 200: usersResponse } } }, async (request) =>
      users.list(request.query),
    );

    app.patch(
      '/users/:id',
      {
        schema: {
          tags: ['admin'],
          summary: "Change a user's role or disable the account (its tokens stop at once)",
          security,
          params: userIdParams,
          body: adminUpdateUserBody,
          response: { 200: userResponse },
        },
      },
      async (request) => ({
        user: toUserResponse(
          await users.updateAsAdmin(currentUser(request).id, request.params.id, request.body, requestContextOf(request)),
        ),
      }),
    );
  };
}
