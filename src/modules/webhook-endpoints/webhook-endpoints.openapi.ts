import { z } from 'zod';
import { userEventData } from '../events/events.schemas.js';

const signatureHeader = {
  name: 'Atas-Signature',
  in: 'header',
  required: true,
  description: '`t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" with the endpoint\'s secret>`: compare in constant time, refuse a `t` more than 5 minutes old',
  schema: { type: 'string' },
};

/**
 * The OpenAPI `webhooks`: one per event type a webhook endpoint can take, its body the delivery
 * Atas POSTs (the event's `data` from the same schemas `publish` is checked against).
 */
export function outboundWebhooksDocument() {
  return Object.fromEntries(
    Object.entries(userEventData).map(([type, data]) => [
      type,
      {
        post: {
          operationId: `on${type.replace(/(^|[._])(\w)/g, (_match, _separator: string, letter: string) => letter.toUpperCase())}`,
          summary: data.description ?? type,
          description: `Sent to each webhook endpoint that takes \`${type}\` events; a 2xx answer within 10 s acknowledges it, anything else is retried with backoff for about 24 hours.`,
          tags: ['webhook endpoints'],
          security: [],
          parameters: [
            signatureHeader,
            { name: 'Atas-Event', in: 'header', required: true, description: 'The event type', schema: { type: 'string', const: type } },
            { name: 'Atas-Delivery', in: 'header', required: true, description: 'The delivery id (the same on a retry)', schema: { type: 'string', format: 'uuid' } },
          ],
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['id', 'type', 'createdAt', 'data'],
                  properties: {
                    id: { type: 'string', description: 'The event id (as in `GET /v1/events`): the same on every delivery of the event' },
                    type: { type: 'string', const: type },
                    createdAt: { type: 'string', format: 'date-time' },
                    data: z.toJSONSchema(data, { target: 'draft-2020-12', io: 'output' }),
                  },
                },
              },
            },
          },
          responses: {
            '200': { description: 'Received (any 2xx)' },
            '400': { description: 'Refused (the signature does not hold, say): retried, then the delivery fails' },
          },
        },
      },
    ]),
  );
}
