import { z } from 'zod';
import { userEventTypes, webhookDeliveryStatuses } from '../../db/schema.js';
import { paginationInfo } from '../../lib/pagination.js';

export const createEndpointBody = z
  .object({
    url: z.url({ protocol: /^https?$/ }).max(2000).describe('Where deliveries are POSTed; https at a public address in production'),
    events: z.array(z.enum(userEventTypes)).min(1).max(userEventTypes.length).describe('The event types to send'),
    description: z.string().trim().min(1).max(255).optional(),
  })
  .strict();

export const endpointParams = z.object({ id: z.uuid() });
export const deliveryParams = z.object({ id: z.uuid(), deliveryId: z.uuid() });

export const webhookEndpoint = z
  .object({
    id: z.uuid(),
    url: z.string(),
    events: z.array(z.enum(userEventTypes)),
    description: z.string().nullable(),
    disabledAt: z.iso.datetime({ offset: true }).nullable().describe('Set when every delivery failed for 24 hours: create a new endpoint'),
    disabledReason: z.string().nullable(),
    createdAt: z.iso.datetime({ offset: true }),
  })
  .meta({ id: 'WebhookEndpoint' });

export const createdEndpointResponse = z.object({
  endpoint: webhookEndpoint,
  secret: z.string().describe('The signing secret of `Atas-Signature`: shown this once, store it'),
});
export const endpointsResponse = z.object({ endpoints: z.array(webhookEndpoint) });

export const webhookDelivery = z
  .object({
    id: z.uuid(),
    eventId: z.string(),
    eventType: z.enum(userEventTypes),
    status: z.enum(webhookDeliveryStatuses),
    attempts: z.number().int(),
    lastStatusCode: z.number().int().nullable(),
    lastError: z.string().nullable(),
    lastAttemptAt: z.iso.datetime({ offset: true }).nullable(),
    deliveredAt: z.iso.datetime({ offset: true }).nullable(),
    createdAt: z.iso.datetime({ offset: true }),
  })
  .meta({ id: 'WebhookDelivery' });

export const deliveriesResponse = z.object({ deliveries: z.array(webhookDelivery), pagination: paginationInfo });
export const deliveryResponse = z.object({ delivery: webhookDelivery });
