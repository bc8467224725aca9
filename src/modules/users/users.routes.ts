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

    app.get(
      '/profile',
      { schema: { operationId: 'getProfile', tags: ['user'], summary: 'Your account', description: 'The signed-in user.', security, response: { 200: userResponse } } },
      async (request) => ({
        user: toUserResponse(await users.profile(currentUser(request).id)),
      }),
    );

    app.patch(
      '/profile',
      {
        schema: {
          operationId: 'updateProfile',
          tags: ['user'],
          summary: 'Change your name or e-mail',
          description: 'A name of `null` removes it; the e-mail is trimmed and lower-cased and must be free.',
          security,
          body: updateProfileBody,
          errors: ['email_taken'],
          response: { 200: userResponse },
        },
      },
      async (request) => ({
        user: toUserResponse(await users.updateProfile(currentUser(request).id, request.body, requestContextOf(request))),
      }),
    );

    app.post(
      '/password',
      {
        schema: {
          operationId: 'changePassword',
          tags: ['user'],
          summary: 'Change your password',
          description: 'Needs the current password; every other session ends.',
          security,
          body: changePasswordBody,
          errors: ['invalid_credentials'],
          response: { 200: successResponse },
        },
      },
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
          operationId: 'deleteAccount',
          tags: ['user'],
          summary: 'Delete your account',
          description: 'Needs the password. Deletes the account and everything it owns: meetings, transcripts, minutes, envelopes and their files.',
          security,
          body: deleteAccountBody,
          errors: ['invalid_credentials', 'last_admin'],
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
