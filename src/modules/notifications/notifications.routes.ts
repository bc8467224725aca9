import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { currentUser } from '../auth/auth.guards.js';
import { linkTokenQuery, notificationSettings, updateNotificationSettingsBody } from './notifications.schemas.js';
import type { NotificationsService } from './notifications.service.js';
import { renderUnsubscribePage } from './notifications.templates.js';

const security = [{ bearerAuth: [] }];

/** `/v1/user/notifications`: the signed-in user's e-mail settings. */
export function notificationSettingsRoutes(deps: { notifications: NotificationsService }): FastifyPluginAsyncZod {
  const { notifications } = deps;
  return async (app) => {
    app.get(
      '/notifications',
      {
        schema: {
          operationId: 'getNotificationSettings',
          tags: ['user'],
          summary: 'Your e-mail notifications',
          description: 'Which kinds of e-mail you get; every kind is on until you turn it off.',
          security,
          response: { 200: notificationSettings },
        },
      },
      async (request) => ({ email: await notifications.preferences(currentUser(request).id) }),
    );

    app.patch(
      '/notifications',
      {
        schema: {
          operationId: 'updateNotificationSettings',
          tags: ['user'],
          summary: 'Turn e-mail notifications on or off',
          description: 'Only the kinds named change.',
          security,
          body: updateNotificationSettingsBody,
          response: { 200: notificationSettings },
        },
      },
      async (request) => ({ email: await notifications.updatePreferences(currentUser(request).id, request.body.email) }),
    );
  };
}

/**
 * The links of an e-mail, which work without a login because they are signed: unsubscribing
 * (`/v1/notifications/unsubscribe`) and downloading a signed ata (`/v1/downloads/signed-ata`).
 */
export function emailLinkRoutes(deps: { notifications: NotificationsService }): FastifyPluginAsyncZod {
  const { notifications } = deps;
  return async (app) => {
    // RFC 8058's one-click unsubscribe POSTs `List-Unsubscribe=One-Click` as a form.
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 1024 }, (_request, body, done) => done(null, body));

    app.get(
      '/notifications/unsubscribe',
      {
        schema: {
          operationId: 'showUnsubscribe',
          tags: ['notifications'],
          summary: 'The page of an unsubscribe link',
          description:
            "What the link in an e-mail opens: a page (in the e-mail's language) with a button that stops that kind of e-mail. Opening it stops nothing, so a link scanner cannot unsubscribe anyone.",
          security: [],
          querystring: linkTokenQuery,
          errors: ['link_invalid'],
          fileResponse: { description: 'The page', mediaType: 'text/html' },
        },
      },
      async (request, reply) => {
        const target = await notifications.unsubscribeTarget(request.query.token);
        return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(renderUnsubscribePage(target, request.query.token, false));
      },
    );

    app.post(
      '/notifications/unsubscribe',
      {
        schema: {
          operationId: 'unsubscribe',
          tags: ['notifications'],
          summary: 'Stop one kind of e-mail',
          description:
            "The page's button, and the one-click unsubscribe of mail clients (RFC 8058, `List-Unsubscribe-Post`). Stops that kind of e-mail to that address: a user's setting, or a suppression for someone without an account. Doing it twice is harmless.",
          security: [],
          querystring: linkTokenQuery,
          errors: ['link_invalid'],
          fileResponse: { description: "A page in the e-mail's language that says what was stopped", mediaType: 'text/html' },
        },
      },
      async (request, reply) => {
        const target = await notifications.unsubscribe(request.query.token);
        return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(renderUnsubscribePage(target, request.query.token, true));
      },
    );

    app.get(
      '/downloads/signed-ata',
      {
        schema: {
          operationId: 'downloadSignedAta',
          tags: ['notifications'],
          summary: 'The signed ata, from an e-mail link',
          description: 'The signed PDF an e-mail links to, while the link lasts (`MAIL_LINK_TTL`); `link_expired` (410) after.',
          security: [],
          querystring: linkTokenQuery,
          errors: ['link_invalid', 'link_expired', 'not_found'],
          responseHeaders: { 200: ['Content-Disposition', 'X-Content-SHA256'] },
          fileResponse: { description: 'The signed PDF', mediaType: 'application/pdf' },
        },
      },
      async (request, reply) => {
        const { pdf, sha256, fileName } = await notifications.signedAta(request.query.token);
        return reply
          .type('application/pdf')
          .header('cache-control', 'no-store')
          .header('content-disposition', `attachment; filename="${fileName}"`)
          .header('x-content-sha256', sha256)
          .send(pdf);
      },
    );
  };
}
