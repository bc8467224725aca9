import { z } from 'zod';
import { sha256Hex } from '../../lib/crypto.js';
import { AppError } from '../../lib/errors.js';
import { verifyZoomSignature, zoomUrlValidationAnswer } from '../../providers/zoom/zoom.webhook.js';
import type { MeetingsService } from '../meetings/meetings.service.js';
import type { TranscriptsService } from '../transcripts/transcripts.service.js';
import { storableEvent, type WebhookInbox } from './webhooks.inbox.js';

/** https://developers.zoom.us/docs/api/webhooks/ — the parts of an event we read. */
const zoomEvent = z.object({
  event: z.string().min(1).max(100),
  event_ts: z.number().optional(),
  download_token: z.string().optional(),
  payload: z
    .object({
      plainToken: z.string().optional(),
      object: z
        .object({
          id: z.union([z.string(), z.number()]).transform(String).optional(),
          uuid: z.string().optional(),
          share_url: z.string().optional(),
          participant: z
            .object({ email: z.string().optional(), user_name: z.string().optional(), join_time: z.string().optional(), leave_time: z.string().optional() })
            .optional(),
          recording_files: z.array(z.object({ file_type: z.string(), download_url: z.string() })).optional(),
        })
        .passthrough()
        .optional(),
    })
    .passthrough()
    .optional(),
});
type ZoomEvent = z.infer<typeof zoomEvent>;

/** Stored, or, for Zoom's `endpoint.url_validation`, the answer Zoom expects. */
export type ZoomReceipt = { kind: 'validation'; answer: { plainToken: string; encryptedToken: string } } | { kind: 'stored'; duplicate: boolean };

/** Zoom's event notifications: verified and stored on receipt; applied to the meeting they are about by a job. */
export function createZoomWebhooks(deps: {
  meetings: Pick<MeetingsService, 'findByZoomId' | 'applyZoomStatus' | 'recordPresence' | 'recordRecording'>;
  transcripts: Pick<TranscriptsService, 'importFromZoom'>;
  zoomWebhookSecret: string | undefined;
  inbox: WebhookInbox;
}) {
  const { meetings, inbox } = deps;

  async function applyZoomEvent(event: ZoomEvent) {
    const object = event.payload?.object;
    if (!object?.id) return;
    const meeting = await meetings.findByZoomId(object.id);
    if (!meeting) return; // a meeting Atas did not schedule
    switch (event.event) {
      case 'meeting.started':
        return meetings.applyZoomStatus(meeting, 'in_progress');
      case 'meeting.ended':
        return meetings.applyZoomStatus(meeting, 'completed');
      case 'meeting.deleted':
        return meetings.applyZoomStatus(meeting, 'cancelled');
      case 'meeting.participant_joined':
      case 'meeting.participant_left': {
        const participant = object.participant;
        if (!participant?.email) return;
        const joined = event.event === 'meeting.participant_joined';
        const at = new Date((joined ? participant.join_time : participant.leave_time) ?? Date.now());
        if (Number.isNaN(at.getTime())) throw new AppError('validation_failed', `The participant's ${joined ? 'join_time' : 'leave_time'} is not a date`);
        return meetings.recordPresence(meeting.id, {
          email: participant.email.toLowerCase(),
          name: participant.user_name ?? null,
          ...(joined ? { joinedAt: at } : { leftAt: at }),
        });
      }
      case 'recording.completed':
      case 'recording.transcript_completed': {
        const files = object.recording_files ?? [];
        const transcript = files.find((file) => file.file_type === 'TRANSCRIPT');
        const video = files.find((file) => file.file_type !== 'TRANSCRIPT');
        await meetings.recordRecording(meeting.id, {
          ...(video ? { recordingUrl: object.share_url ?? video.download_url } : {}),
          ...(transcript ? { transcriptUrl: transcript.download_url } : {}),
        });
        if (transcript) await deps.transcripts.importFromZoom(meeting, transcript.download_url, event.download_token);
        return;
      }
      default:
        return;
    }
  }

  async function receiveZoom(request: { rawBody: Buffer; signature: string | undefined; timestamp: string | undefined }): Promise<ZoomReceipt> {
    const secret = deps.zoomWebhookSecret;
    if (!secret) throw new AppError('integration_not_configured', 'ZOOM_WEBHOOK_SECRET is not set', { provider: 'zoom' });
    const verification = verifyZoomSignature({ rawBody: request.rawBody, signature: request.signature, timestamp: request.timestamp, secret });
    if (!verification.valid) throw new AppError('webhook_signature_invalid', `Webhook signature refused (${verification.reason})`);

    let payloadJson = request.rawBody.toString('utf8');
    let event: ZoomEvent;
    try {
      [event, payloadJson] = storableEvent(zoomEvent, payloadJson);
    } catch {
      throw new AppError('validation_failed', 'Not a Zoom event');
    }
    if (event.event === 'endpoint.url_validation') {
      const answer = zoomUrlValidationAnswer(event.payload?.plainToken, secret);
      if (!answer) throw new AppError('validation_failed', 'The plainToken is not valid');
      return { kind: 'validation' as const, answer };
    }

    const stored = await inbox.store({ provider: 'zoom', eventType: event.event, deliveryKey: sha256Hex(request.rawBody), payloadJson });
    return { kind: 'stored' as const, duplicate: !stored };
  }

  return {
    job: inbox.eventJob('zoom-webhook-event', (payload) => applyZoomEvent(zoomEvent.parse(payload))),
    receiveZoom,
  };
}
