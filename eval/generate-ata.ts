import { randomBytes, randomUUID } from 'node:crypto';
import { createAtasClient, orThrow, type components } from '../clients/typescript/src/index.js';
import type { LoadedCase } from './cases.js';

type Minutes = components['schemas']['MeetingMinutes'];

export interface GeneratedAta {
  meetingId: string;
  minutesId: string;
  model: string | null;
  /** `minutes.structured` as the API answered it: read by eval.schemas.ts's `producedRecord`. */
  structured: unknown;
  seconds: number;
}

const DEFAULT_TIMEOUT_MS = 20 * 60_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One case through the public API, as a frontend would: its own user (the generation limit is
 * per user), a meeting held elsewhere with its settings, the transcript uploaded, the minutes
 * generated and followed until they are a draft.
 */
export async function generateAta(baseUrl: string, testCase: LoadedCase, options: { timeoutMs?: number } = {}): Promise<GeneratedAta> {
  const started = performance.now();
  const { meeting } = testCase;
  const anonymous = createAtasClient({ baseUrl });
  const registered = await orThrow(
    anonymous.POST('/v1/auth/register', {
      body: { email: `eval-${meeting.id}-${randomBytes(4).toString('hex')}@example.com`, password: randomBytes(18).toString('base64url'), name: `Eval ${meeting.id}` },
    }),
  );
  const atas = createAtasClient({ baseUrl, token: registered.token });

  const body = {
    topic: meeting.topic,
    agenda: meeting.agenda.join('\n'),
    startTime: meeting.startTime,
    duration: Math.min(480, Math.max(15, meeting.durationMinutes)),
    participants: meeting.participants,
    onZoom: false,
    kind: meeting.kind,
    ...(meeting.members ? { members: meeting.members } : {}),
    ...(meeting.quorum ? { quorum: meeting.quorum } : {}),
    ...(meeting.chair ? { chair: meeting.chair } : {}),
    ...(meeting.secretary ? { secretary: meeting.secretary } : {}),
  };
  const created = await orThrow(atas.POST('/v1/meetings', { params: { header: { 'idempotency-key': randomUUID() } }, body }));
  const meetingId = created.meeting.id;

  await orThrow(
    atas.POST('/v1/meetings/{id}/transcript', { params: { path: { id: meetingId } }, body: testCase.transcript as never, bodySerializer: (text: string) => text, headers: { 'content-type': 'text/vtt' } }),
  );

  // 201 (done) or 202 (still generating): both answer the minutes; 200 is the event stream, not asked for here.
  const generated = (await orThrow(
    atas.POST('/v1/meetings/{meetingId}/minutes', {
      params: { path: { meetingId }, header: { 'idempotency-key': randomUUID() } },
      body: { language: meeting.language, timeZone: meeting.timeZone },
    }),
  )) as { minutes: Minutes };
  let minutes = generated.minutes;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  // Polls more and more slowly (a real model on a three-hour meeting takes minutes, and the API
  // allows a user about 100 requests in 15 minutes); a 429 waits as long as it says.
  for (let attempt = 0; minutes.status === 'generating'; attempt++) {
    if (Date.now() > deadline) throw new Error(`${meeting.id}: the minutes were still generating after ${Math.round(timeoutMs / 1000)} s`);
    await sleep(Math.min(15_000, 1000 * 1.5 ** attempt));
    const answer = await atas.GET('/v1/minutes/{id}', { params: { path: { id: minutes.id } } });
    if (answer.response.status === 429) {
      await sleep(Number(answer.response.headers.get('retry-after') ?? 30) * 1000);
      continue;
    }
    minutes = (await orThrow(Promise.resolve(answer))).minutes;
  }
  if (minutes.error) throw new Error(`${meeting.id}: the generation failed: ${minutes.error.code}: ${minutes.error.message}`);
  return { meetingId, minutesId: minutes.id, model: minutes.model, structured: minutes.structured, seconds: (performance.now() - started) / 1000 };
}
