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

    app.get(
      '/users',
      {
        schema: {
          operationId: 'listUsers',
          tags: ['admin'],
          summary: 'Every account',
          description: 'For admins: accounts a page at a time, `search` matching e-mail or name.',
          security,
          querystring: listUsersQuery,
          response: { 200: usersResponse },
        },
      },
      async (request) => users.list(request.query),
    );

    app.patch(
      '/users/:id',
      {
        schema: {
          operationId: 'updateUser',
          tags: ['admin'],
          summary: "Change a user's role, or disable the account",
          description: "For admins. A disabled account's tokens stop working at once; the last active admin cannot be demoted or disabled.",
          security,
          params: userIdParams,
          body: adminUpdateUserBody,
          errors: ['not_found', 'last_admin'],
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
