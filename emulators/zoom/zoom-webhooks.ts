import { createHmac, randomBytes } from 'node:crypto';
import { recordingOf } from './zoom-recordings.routes.js';
import type { EmulatedMeeting, ZoomRoutesContext } from './zoom-state.js';

/**
 * The webhooks Zoom sends (https://developers.zoom.us/docs/api/webhooks/): event bodies shaped as
 * Zoom's event reference shows them, signed and posted as Zoom posts them.
 */
export function createZoomWebhooks(context: Pick<ZoomRoutesContext, 'accountId' | 'host' | 'baseUrl' | 'issueDownloadToken'>, webhookSecret: string) {
  const sign = (timestamp: string, body: string) => `v0=${createHmac('sha256', webhookSecret).update(`v0:${timestamp}:${body}`).digest('hex')}`;

  function recordingEvent(event: string, meeting: EmulatedMeeting, fileTypes?: string[]) {
    const files = meeting.recordingFiles.filter((file) => !fileTypes || fileTypes.includes(file.file_type));
    return {
      event,
      event_ts: Date.now(),
      download_token: context.issueDownloadToken(),
      payload: { account_id: context.accountId, object: recordingOf(meeting, files, context) },
    };
  }

  /** Signs a webhook body as Zoom does (`x-zm-signature: v0=HMAC-SHA256(secret, v0:ts:body)`) and posts it. */
  async function send(targetUrl: string, event: unknown, options: { timestampSec?: number } = {}) {
    const body = JSON.stringify(event);
    const timestamp = String(options.timestampSec ?? Math.floor(Date.now() / 1000));
    return fetch(targetUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-zm-request-timestamp': timestamp, 'x-zm-signature': sign(timestamp, body) },
      body,
    });
  }

  return {
    send,
    /** `meeting.ended`; Zoom writes the meeting ID as a string in meeting events. */
    meetingEnded: (meeting: EmulatedMeeting, endTime: string) => ({
      event: 'meeting.ended',
      event_ts: Date.now(),
      payload: {
        account_id: context.accountId,
        object: {
          id: String(meeting.id),
          uuid: meeting.uuid,
          host_id: meeting.host_id,
          topic: meeting.topic,
          type: meeting.type,
          start_time: meeting.start_time,
          timezone: meeting.timezone,
          duration: meeting.duration,
          end_time: endTime,
        },
      },
    }),
    /** `recording.completed`: every file, with a fresh download token. */
    recordingCompleted: (meeting: EmulatedMeeting) => recordingEvent('recording.completed', meeting),
    /** `recording.transcript_completed`: the transcript files only, with a fresh download token. */
    transcriptCompleted: (meeting: EmulatedMeeting) => recordingEvent('recording.transcript_completed', meeting, ['TRANSCRIPT']),
    /**
     * Zoom's check of an endpoint URL (when the app is saved, then every 72 hours): a signed
     * `endpoint.url_validation` with a plain token, to be answered with its HMAC under the secret.
     */
    validateEndpoint: async (targetUrl: string): Promise<{ isValid: boolean; status: number }> => {
      const plainToken = randomBytes(16).toString('base64url');
      const response = await send(targetUrl, { event: 'endpoint.url_validation', event_ts: Date.now(), payload: { plainToken } });
      const answer = (await response.json().catch(() => ({}))) as { plainToken?: unknown; encryptedToken?: unknown };
      const encryptedToken = createHmac('sha256', webhookSecret).update(plainToken).digest('hex');
      return { isValid: response.status === 200 && answer.plainToken === plainToken && answer.encryptedToken === encryptedToken, status: response.status };
    },
  };
}
