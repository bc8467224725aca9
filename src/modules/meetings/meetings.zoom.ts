import { ProviderError } from '../../providers/provider-error.js';
import type { ZoomClient } from '../../providers/zoom/zoom.client.js';
import type { ParticipantInput } from './meetings.schemas.js';

/** Zoom wants `yyyy-MM-ddTHH:mm:ssZ` in UTC. */
export const zoomTime = (iso: string) => new Date(iso).toISOString().replace(/\.\d{3}Z$/, 'Z');

export const isZoomNotFound = (error: unknown) => error instanceof ProviderError && error.provider === 'zoom' && error.status === 404;

function splitName(participant: ParticipantInput) {
  const [first, ...rest] = (participant.name ?? participant.email.split('@')[0]!).split(/\s+/);
  return { first_name: first!, last_name: rest.join(' ') };
}

/** Registers the participants on Zoom (for meetings that take registration), one after another; the first failure is thrown. */
export async function registerOnZoom(zoom: ZoomClient, zoomMeetingId: string, list: ParticipantInput[]) {
  for (const participant of list) {
    await zoom.meetingRegistrantCreate(zoomMeetingId, { email: participant.email, ...splitName(participant) });
  }
}

/**
 * The host's start link, fresh from Zoom: it carries the host's zak, which starts the meeting as
 * them and which Zoom expires about two hours later, so Atas keeps none.
 */
export async function startUrlOf(zoom: ZoomClient, zoomMeetingId: string): Promise<string> {
  const meeting = await zoom.meeting(zoomMeetingId);
  return meeting.start_url ?? meeting.join_url;
}
