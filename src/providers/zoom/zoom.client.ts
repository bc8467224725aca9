import type { z } from 'zod';
import { requestProvider, type Fetch } from '../http-json.js';
import { ProviderError } from '../provider-error.js';
import type { Resilience } from '../resilience.js';
import { createTokenCache, type AccessToken, type TokenCache } from '../token-cache.js';
import {
  zoomErrorCodeOf,
  zoomMeeting,
  zoomRecordings,
  zoomRegistrant,
  zoomTokenResponse,
  type ZoomMeeting,
  type ZoomRecordings,
} from './zoom.schemas.js';

export interface ZoomCredentials {
  accountId: string;
  clientId: string;
  clientSecret: string;
}

/** What we send to create or update a meeting (Zoom's `Meeting` object, the fields we use). */
export interface ZoomMeetingInput {
  topic?: string;
  type?: 2;
  start_time?: string;
  duration?: number;
  timezone?: string;
  agenda?: string;
  settings?: { approval_type?: 0 | 1 | 2; registrants_email_notification?: boolean };
}

export type ZoomClient = ReturnType<typeof createZoomClient>;

const INVALID_TOKEN = '124';

/**
 * Zoom API v2 with Server-to-Server OAuth. One method per Zoom operation, named like Zoom's.
 * The access token is cached until a minute before expiry and shared by concurrent callers;
 * an invalid or expired token (Zoom code 124) is refreshed once.
 */
export function createZoomClient(options: {
  credentials: ZoomCredentials;
  apiBaseUrl: string;
  oauthUrl: string;
  resilience: Resilience;
  fetch?: Fetch;
  /** How to cache the token this client fetches; in process by default. */
  tokenCache?: (fetchToken: () => Promise<AccessToken>) => TokenCache;
}) {
  const fetchFn = options.fetch ?? fetch;
  const { credentials, resilience } = options;
  const apiBaseUrl = options.apiBaseUrl.replace(/\/$/, '');

  async function requestToken() {
    const response = await resilience.execute('token', (signal) =>
        requestProvider({
          provider: 'zoom',
          fetch: fetchFn,
          url: options.oauthUrl,
          signal,
          schema: zoomTokenResponse,
          errorCodeOf: zoomErrorCodeOf,
          init: {
            method: 'POST',
            headers: {
              authorization: `Basic ${Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString('base64')}`,
              'content-type': 'application/x-www-form-urlencoded',
            },
            body: new URLSearchParams({ grant_type: 'account_credentials', account_id: credentials.accountId }).toString(),
          },
        }),
      );
    return { token: response.access_token, expiresInSec: response.expires_in, scopes: response.scope?.split(' ').filter(Boolean) ?? [] };
  }
  const tokens = (options.tokenCache ?? createTokenCache)(requestToken);

  async function call<T>(operation: string, method: string, path: string, request: { body?: unknown; schema?: z.ZodType<T>; idempotent?: boolean } = {}): Promise<T> {
    const attempt = async () => {
      const token = await tokens.get();
      return resilience.execute(operation, (signal) =>
        requestProvider({
          provider: 'zoom',
          fetch: fetchFn,
          url: `${apiBaseUrl}${path}`,
          signal,
          schema: request.schema,
          errorCodeOf: zoomErrorCodeOf,
          idempotent: request.idempotent,
          init: {
            method,
            headers: {
              authorization: `Bearer ${token}`,
              ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
            },
            ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
          },
        }),
      );
    };
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof ProviderError) || error.status !== 401 || error.code !== INVALID_TOKEN) throw error;
      tokens.invalidate();
      return attempt();
    }
  }

  const meetingPath = (meetingId: string) => `/meetings/${encodeURIComponent(meetingId)}`;

  return {
    /** Asks Zoom for a new token: proves the credentials work, and tells the app's scopes. */
    async checkCredentials(): Promise<{ scopes: string[] }> {
      const { scopes } = await requestToken();
      return { scopes };
    },
    meetingCreate: (meeting: ZoomMeetingInput, userId = 'me'): Promise<ZoomMeeting> =>
      call('meetingCreate', 'POST', `/users/${encodeURIComponent(userId)}/meetings`, { body: meeting, schema: zoomMeeting, idempotent: false }),
    meeting: (meetingId: string): Promise<ZoomMeeting> => call('meeting', 'GET', meetingPath(meetingId), { schema: zoomMeeting }),
    meetingUpdate: (meetingId: string, changes: ZoomMeetingInput): Promise<void> =>
      call('meetingUpdate', 'PATCH', meetingPath(meetingId), { body: changes }).then(() => undefined),
    meetingDelete: (meetingId: string): Promise<void> => call('meetingDelete', 'DELETE', meetingPath(meetingId)).then(() => undefined),
    // The contract (Zoom's spec) requires last_name; send '' for one-word names.
    meetingRegistrantCreate: (meetingId: string, registrant: { email: string; first_name: string; last_name: string }) =>
      call('meetingRegistrantCreate', 'POST', `${meetingPath(meetingId)}/registrants`, { body: registrant, schema: zoomRegistrant, idempotent: false }),
    recordingGet: (meetingId: string): Promise<ZoomRecordings> => call('recordingGet', 'GET', `${meetingPath(meetingId)}/recordings`, { schema: zoomRecordings }),
    /** Downloads a recording file (a transcript) with the webhook's download token or the API token. */
    async downloadRecordingFile(url: string, downloadToken?: string): Promise<string> {
      const token = downloadToken ?? (await tokens.get());
      return resilience.execute('downloadRecordingFile', (signal) =>
        requestProvider<string>({
          provider: 'zoom',
          fetch: fetchFn,
          url,
          signal,
          errorCodeOf: zoomErrorCodeOf,
          init: { method: 'GET', headers: { authorization: `Bearer ${token}` } },
        }).then((body) => (typeof body === 'string' ? body : JSON.stringify(body))),
      );
    },
  };
}
