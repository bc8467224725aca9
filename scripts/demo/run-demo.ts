import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AtasError, createAtasClient, orThrow, type components } from '../../clients/typescript/src/index.js';
import { readServerEvents, type ServerEvent } from './sse.js';

type Minutes = components['schemas']['MeetingMinutes'];
type Health = components['schemas']['Health'];

export interface Person {
  name: string;
  email: string;
}

export interface DemoOptions {
  /** Where Atas answers, e.g. http://127.0.0.1:3001. */
  baseUrl: string;
  /** Where the PDFs are written. */
  outputDir: string;
  /** Receives every line the demo prints (each ends with a newline, or with `\r` for a progress line on a terminal). */
  write: (text: string) => void;
  /** Progress lines rewrite themselves (a terminal), or are printed when they change. */
  isTty?: boolean;
  /** The two people who sign; with a real DocuSign they must be real addresses. Default: the chair and the secretary of the fixture meeting. */
  signers?: Person[];
  /** How long a wait for an emulated provider may last before the demo gives up. */
  emulatedWaitMs?: number;
}

export interface DemoResult {
  meetingId: string;
  minutesId: string;
  envelopeId: string;
  minutesPdfUrl: string;
  signedPdfUrl: string;
  certificateUrl: string;
  files: { minutesPdf: string; signedPdf: string; certificate: string };
  modes: Pick<Health['services'], 'zoom' | 'openai' | 'docusign'>;
}

export const FIXTURE_TRANSCRIPT_PATH = path.join(import.meta.dirname, 'board-meeting.pt-BR.vtt');

/** Who is on the board of the fixture meeting; Sérgio Bastos is invited but absent. */
const BOARD: Person[] = [
  { name: 'Helena Prado', email: 'helena.prado@example.com' },
  { name: 'Ricardo Menezes', email: 'ricardo.menezes@example.com' },
  { name: 'Marcos Tavares', email: 'marcos.tavares@example.com' },
  { name: 'Beatriz Lins', email: 'beatriz.lins@example.com' },
  { name: 'Paulo Azevedo', email: 'paulo.azevedo@example.com' },
  { name: 'Camila Rocha', email: 'camila.rocha@example.com' },
  { name: 'Fernando Quintela', email: 'fernando.quintela@example.com' },
  { name: 'André Figueiredo', email: 'andre.figueiredo@example.com' },
  { name: 'Juliana Costa', email: 'juliana.costa@example.com' },
  { name: 'Sérgio Bastos', email: 'sergio.bastos@example.com' },
];
const PRESENT = BOARD.filter((person) => person.name !== 'Sérgio Bastos');
export const DEFAULT_SIGNERS: Person[] = [BOARD[0]!, BOARD[1]!];

const AGENDA = [
  '1. Ata da reunião anterior',
  '2. Resultados do 2º trimestre',
  '3. Orçamento de investimentos do centro de distribuição de Extrema (MG)',
  '4. Juros sobre capital próprio',
  '5. Gestão de riscos e segurança da informação',
  '6. Assuntos gerais',
].join('\n');

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The whole product through Atas's public HTTP API, as a frontend drives it: register, a meeting on
 * Zoom, its transcript, minutes (progress shown), finalised, sent to two signers, signed, the
 * signed PDF. Where a provider is emulated (GET /v1/health says `emulated`), the demo plays the
 * person through the emulator's documented controls (the host ends the meeting, the signers sign);
 * where it is real, it says what the person must do and waits.
 */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const { baseUrl, write } = options;
  const emulatedWaitMs = options.emulatedWaitMs ?? 90_000;
  const startedAt = performance.now();
  let progressShown = '';

  const line = (text: string) => {
    if (progressShown && options.isTty) write('\r\x1b[2K');
    progressShown = '';
    write(`${text}\n`);
  };
  // On a terminal a progress line rewrites itself; elsewhere (a CI log) a new one is printed when
  // its words change, or every 10 s while only its figures do.
  let printedAt = 0;
  let printedWords = '';
  const progress = (text: string) => {
    if (text === progressShown) return;
    progressShown = text;
    if (options.isTty) return write(`\r\x1b[2K  … ${text}`);
    const words = text.replace(/[\d,.]+/g, '#');
    if (words === printedWords && Date.now() - printedAt < 10_000) return;
    printedWords = words;
    printedAt = Date.now();
    write(`  … ${text}\n`);
  };
  async function step<T>(name: string, work: () => Promise<T>, detail?: (result: T) => string | undefined): Promise<T> {
    const stepStart = performance.now();
    const result = await work();
    line(`✓ ${name} (${seconds(performance.now() - stepStart)})`);
    const said = detail?.(result);
    if (said) for (const text of said.split('\n')) line(`    ${text}`);
    return result;
  }

  // Session: the access token lasts 15 minutes; a wait for a person may last longer.
  let session: { token: string; refreshToken: string; expiresAt: number } | undefined;
  const anonymous = createAtasClient({ baseUrl });
  async function currentToken(): Promise<string | undefined> {
    if (session && session.expiresAt - Date.now() < 60_000) {
      const renewed = await orThrow(anonymous.POST('/v1/auth/refresh', { body: { refreshToken: session.refreshToken } }));
      session = { token: renewed.token, refreshToken: renewed.refreshToken, expiresAt: Date.now() + renewed.expiresIn * 1000 };
    }
    return session?.token;
  }
  const atas = createAtasClient({ baseUrl, token: currentToken });

  const health = await step('Atas answers', async () => orThrow(anonymous.GET('/v1/health')), (answer) => {
    const { zoom, openai, docusign } = answer.services;
    return `${baseUrl}: status ${answer.status}; zoom ${zoom}, openai ${openai}, docusign ${docusign}`;
  });
  const modes = { zoom: health.services.zoom, openai: health.services.openai, docusign: health.services.docusign };
  for (const [provider, mode] of Object.entries(modes)) {
    if (mode !== 'ok' && mode !== 'emulated') throw new Error(`${provider} is ${mode} on this server: set its credentials (or let npm start emulate it)`);
  }
  const zoomIsEmulated = modes.zoom === 'emulated';
  const docusignIsEmulated = modes.docusign === 'emulated';
  const signers = options.signers ?? DEFAULT_SIGNERS;
  if (!docusignIsEmulated && !options.signers) throw new Error('DocuSign is real here: say who signs with DEMO_SIGNERS="Name <email>, Name <email>"');
  if (signers.length !== 2) throw new Error('the demo sends the minutes to two signers');

  const user = await step('registered a user', async () => {
    const email = `demo-${Date.now()}-${randomBytes(3).toString('hex')}@example.com`;
    const answer = await orThrow(anonymous.POST('/v1/auth/register', { body: { email, password: randomBytes(18).toString('base64url'), name: 'Secretaria do Conselho' } }));
    session = { token: answer.token, refreshToken: answer.refreshToken, expiresAt: Date.now() + answer.expiresIn * 1000 };
    return answer.user;
  }, (registered) => registered.email);

  const events = await openEventStream(baseUrl, currentToken, progress);
  try {
    const startTime = new Date(Date.now() + 2 * 60_000);
    const created = await step('created the meeting on Zoom', async () =>
      orThrow(
        atas.POST('/v1/meetings', {
          params: { header: { 'idempotency-key': randomUUID() } },
          body: {
            topic: 'Reunião ordinária do Conselho de Administração: Horizonte Logística S.A.',
            agenda: AGENDA,
            startTime: startTime.toISOString(),
            duration: 45,
            participants: BOARD.map(({ name, email }) => ({ name, email })),
          },
        }),
      ),
    (answer) => `meeting ${answer.meeting.id} (Zoom ${answer.meeting.zoomMeetingId}), join ${answer.meeting.joinUrl ?? answer.zoomJoinUrl}`);
    const meeting = created.meeting;

    async function meetingState() {
      return (await orThrow(atas.GET('/v1/meetings/{id}', { params: { path: { id: meeting.id } } }))).meeting;
    }

    if (zoomIsEmulated) {
      const zoom = await emulatorOrigin(meeting.joinUrl ?? created.zoomJoinUrl, 'zoom');
      const webhookUrl = `${baseUrl}/v1/webhooks/zoom`;
      await step('the host ended the meeting on the Zoom emulator (meeting.ended sent)', async () => {
        await emulatorControl(`${zoom}/emulator/meetings/${meeting.zoomMeetingId}/end`, { webhookUrl, participants: PRESENT });
        return events.waitFor({ types: ['meeting.status_changed'], check: async () => ((await meetingState()).status === 'completed' ? true : undefined), timeoutMs: emulatedWaitMs, label: (sec) => `Atas applying meeting.ended (${sec} s)` });
      }, () => `${PRESENT.length} of ${BOARD.length} invited took part`);
      const vtt = fs.readFileSync(FIXTURE_TRANSCRIPT_PATH, 'utf8');
      await step('Zoom sent the 45-minute transcript (recording.transcript_completed)', async () => {
        await emulatorControl(`${zoom}/emulator/meetings/${meeting.zoomMeetingId}/transcript`, { webhookUrl, transcript: vtt });
        return events.waitFor({ types: ['transcript.ready'], check: async () => ((await meetingState()).hasTranscript ? true : undefined), timeoutMs: emulatedWaitMs, label: (sec) => `Atas downloading and parsing the transcript (${sec} s)` });
      });
    } else {
      const { startUrl } = await orThrow(atas.GET('/v1/meetings/{id}/start-url', { params: { path: { id: meeting.id } } }));
      line('  ▶ Now a person: start the meeting on Zoom as its host (with cloud recording and its audio transcript on),');
      line(`    hold it, then end it for everyone. Host link: ${startUrl}`);
      line(`    Participants join at ${meeting.joinUrl ?? created.zoomJoinUrl}`);
      await step('the meeting ended on Zoom (meeting.ended)', () =>
        events.waitFor({ types: ['meeting.status_changed'], check: async () => ((await meetingState()).status === 'completed' ? true : undefined), label: (sec) => `waiting for the meeting to end on Zoom (${clock(sec)})`, pollMs: 30_000 }),
      );
      await step('Zoom sent the transcript (recording.transcript_completed)', () =>
        events.waitFor({ types: ['transcript.ready'], check: async () => ((await meetingState()).hasTranscript ? true : undefined), label: (sec) => `waiting for Zoom's transcript, ready a few minutes after the meeting (${clock(sec)})`, pollMs: 30_000 }),
      );
    }

    const turns = await orThrow(atas.GET('/v1/meetings/{id}/transcript', { params: { path: { id: meeting.id }, query: { page: 1, limit: 1 } } }));
    line(`    ${turns.pagination.total} speaker turns stored`);

    const generated = await step('minutes generated', () => generateMinutes(baseUrl, currentToken, meeting.id, signers, progress), (minutes) => {
      const notes = (minutes.structured ?? {}) as { decisions?: unknown[]; actionItems?: unknown[]; attendees?: unknown[] };
      return `minutes ${minutes.id}, version ${minutes.version} (${modes.openai === 'emulated' ? 'the OpenAI emulator: not a language model' : minutes.model ?? 'the model'}): ${notes.attendees?.length ?? 0} attendees, ${notes.decisions?.length ?? 0} deliberações, ${notes.actionItems?.length ?? 0} encaminhamentos`;
    });

    const minutesPdfUrl = `${baseUrl}/v1/minutes/${generated.id}/pdf`;
    fs.mkdirSync(options.outputDir, { recursive: true });
    const minutesPdf = path.join(options.outputDir, 'ata.pdf');
    await step('finalised, PDF rendered', async () => {
      await orThrow(atas.PATCH('/v1/minutes/{id}', { params: { path: { id: generated.id } }, body: { status: 'finalized' } }));
      await downloadWhenReady(() => atas.GET('/v1/minutes/{id}/pdf', { params: { path: { id: generated.id } }, parseAs: 'arrayBuffer' }), minutesPdf, progress, 'the PDF');
    }, () => `${minutesPdf} (${kib(minutesPdf)})`);

    const sent = await step('sent to two signers on DocuSign', async () => {
      const answer = await atas.POST('/v1/minutes/{id}/send-for-signature', {
        params: { path: { id: generated.id }, header: { 'idempotency-key': randomUUID() } },
        body: { signers, emailSubject: 'Assinatura da ata: Conselho de Administração' },
      });
      if (!answer.response.ok) throw new AtasError(answer.response.status, answer.error as never);
      let envelopeId = answer.data?.envelopeId ?? undefined;
      if (!envelopeId) {
        // 202: DocuSign has not given the id yet.
        envelopeId = await events.waitFor({
          types: ['envelope.status_changed'],
          check: async () => (await orThrow(atas.GET('/v1/minutes/{id}', { params: { path: { id: generated.id } } }))).envelope?.envelopeId ?? undefined,
          timeoutMs: docusignIsEmulated ? emulatedWaitMs : undefined,
          label: (sec) => `waiting for DocuSign's envelope id (${sec} s)`,
        });
      }
      return envelopeId;
    }, (envelopeId) => `envelope ${envelopeId} to ${signers.map((signer) => `${signer.name} <${signer.email}>`).join(' and ')}`);

    let signerStates = '';
    const envelopeState = async () => orThrow(atas.GET('/v1/docusign/envelopes/{envelopeId}', { params: { path: { envelopeId: sent } } }));
    if (docusignIsEmulated) {
      const docusign = await emulatorOrigin((await orThrow(atas.GET('/v1/docusign/consent-url'))).consentUrl, 'docusign');
      await step('both signers signed on the DocuSign emulator', async () => {
        for (const signer of signers) await emulatorControl(`${docusign}/emulator/envelopes/${encodeURIComponent(sent)}/signers/${encodeURIComponent(signer.email)}/sign`, {});
      });
    } else {
      line(`  ▶ Now the signers: ${signers.map((signer) => signer.email).join(' and ')} sign from DocuSign's e-mail.`);
    }
    await step('DocuSign Connect reported it: envelope completed', () =>
      events.waitFor({
        types: ['envelope.status_changed'],
        check: async () => {
          const { envelope, signers: states } = await envelopeState();
          if (['declined', 'voided', 'failed'].includes(envelope.status)) throw new Error(`the envelope is ${envelope.status}`);
          signerStates = states.map((signer) => `${signer.email} ${signer.status}`).join(', ');
          return envelope.status === 'completed' ? true : undefined;
        },
        timeoutMs: docusignIsEmulated ? emulatedWaitMs : undefined,
        pollMs: docusignIsEmulated ? 5000 : 30_000,
        label: (sec) =>
          docusignIsEmulated
            ? `waiting for Connect (${sec} s)${sec >= 15 ? ': no news yet; Connect reaches a server started with PUBLIC_BASE_URL, else the reconciliation job polls after DOCUSIGN_RECONCILE_AFTER' : ''}`
            : `waiting for the signatures (${clock(sec)}): ${signerStates}`,
      }),
    );

    const signedPdf = path.join(options.outputDir, 'ata-assinada.pdf');
    const certificate = path.join(options.outputDir, 'certificado.pdf');
    await step('signed PDF and certificate stored', async () => {
      await events.waitFor({
        types: ['envelope.documents_stored'],
        check: async () => ((await orThrow(atas.GET('/v1/minutes/{id}', { params: { path: { id: generated.id } } }))).minutes.status === 'signed' ? true : undefined),
        timeoutMs: docusignIsEmulated ? emulatedWaitMs : undefined,
        label: (sec) => `Atas fetching the signed PDF and certificate from DocuSign (${sec} s)`,
      });
      await downloadWhenReady(() => atas.GET('/v1/minutes/{id}/signed-pdf', { params: { path: { id: generated.id } }, parseAs: 'arrayBuffer' }), signedPdf, progress, 'the signed PDF');
      await downloadWhenReady(() => atas.GET('/v1/minutes/{id}/certificate', { params: { path: { id: generated.id } }, parseAs: 'arrayBuffer' }), certificate, progress, 'the certificate');
    }, () => `${signedPdf} (${kib(signedPdf)}), ${certificate} (${kib(certificate)})`);

    const chain = (await orThrow(atas.GET('/v1/minutes/{id}', { params: { path: { id: generated.id } } }))).documentChain;
    line(`    document chain: content ${short(chain.contentSha256)} → sent PDF ${short(chain.sentPdfSha256)} → signed PDF ${short(chain.signedPdfSha256)}`);

    const result: DemoResult = {
      meetingId: meeting.id,
      minutesId: generated.id,
      envelopeId: sent,
      minutesPdfUrl,
      signedPdfUrl: `${baseUrl}/v1/minutes/${generated.id}/signed-pdf`,
      certificateUrl: `${baseUrl}/v1/minutes/${generated.id}/certificate`,
      files: { minutesPdf, signedPdf, certificate },
      modes,
    };
    line('');
    line(`Done in ${seconds(performance.now() - startedAt)} (${user.email}; the URLs need its bearer token).`);
    line(`  minutes PDF: ${result.minutesPdfUrl}`);
    line(`               ${minutesPdf}`);
    line(`  signed PDF:  ${result.signedPdfUrl}`);
    line(`               ${signedPdf}`);
    line(`  certificate: ${result.certificateUrl}`);
    line(`               ${certificate}`);
    return result;
  } finally {
    events.close();
  }
}

const clock = (sec: number) => `${Math.floor(sec / 60)} min ${String(sec % 60).padStart(2, '0')} s`;
const short = (hash: string | null) => (hash ? hash.slice(0, 12) : '—');
const kib = (file: string) => `${Math.round(fs.statSync(file).size / 1024)} KiB`;

/** The origin of an emulator, read from a link Atas gave (a join URL, a consent URL), checked with the emulator's `GET /emulator`. */
export async function emulatorOrigin(link: string | null | undefined, name: 'zoom' | 'docusign'): Promise<string> {
  if (!link) throw new Error(`Atas gave no ${name} link to find its emulator by`);
  const origin = new URL(link).origin;
  const answer = (await fetch(`${origin}/emulator`).then((response) => response.json()).catch(() => undefined)) as { emulator?: string } | undefined;
  if (answer?.emulator !== name) throw new Error(`${origin} is not the ${name} emulator`);
  return origin;
}

/** Posts to an emulator's control (`/emulator/...`); throws unless it and the webhook it sent to Atas succeeded. */
export async function emulatorControl(url: string, body: unknown): Promise<unknown> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const answer = (await response.json().catch(() => undefined)) as { webhook?: { status: number } } | undefined;
  if (!response.ok) throw new Error(`${url} answered ${response.status}: ${JSON.stringify(answer)}`);
  if (answer?.webhook && answer.webhook.status !== 200) throw new Error(`Atas answered the emulator's webhook with ${answer.webhook.status}`);
  return answer;
}

/** A file of Atas, once it is there (`409 pdf_not_ready` → after `Retry-After`). */
async function downloadWhenReady(
  get: () => Promise<{ data?: ArrayBuffer; error?: unknown; response: Response }>,
  file: string,
  progress: (text: string) => void,
  what: string,
): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const { data, error, response } = await get();
    if (response.ok && data) {
      fs.writeFileSync(file, Buffer.from(data));
      return;
    }
    const code = (error as { code?: string } | undefined)?.code;
    if ((response.status === 409 || response.status === 404) && attempt < 60) {
      progress(`${what}: ${code ?? response.status}, retrying`);
      await sleep(Number(response.headers.get('retry-after') ?? 1) * 1000);
      continue;
    }
    throw new AtasError(response.status, error as never);
  }
}

/** POST /v1/meetings/:id/minutes as an event stream: progress as the model works, then the minutes. */
async function generateMinutes(baseUrl: string, token: () => Promise<string | undefined>, meetingId: string, signers: Person[], progress: (text: string) => void): Promise<Minutes> {
  const response = await fetch(`${baseUrl}/v1/meetings/${meetingId}/minutes`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await token()}`, 'content-type': 'application/json', accept: 'text/event-stream', 'idempotency-key': randomUUID() },
    body: JSON.stringify({ language: 'pt-BR', timeZone: 'America/Sao_Paulo', signers }),
  });
  if (!response.ok || !response.body) throw new AtasError(response.status, (await response.json()) as never);
  let textChars = 0;
  for await (const event of readServerEvents(response.body)) {
    const data = event.data as Record<string, unknown>;
    if (event.event === 'accepted') progress(`generation accepted (minutes ${String(data.minutesId)})`);
    else if (event.event === 'progress') {
      progress(`${String(data.stage)}: ${String(data.chunksDone)} of ${String(data.chunksTotal)} parts of the transcript, ${Number(data.receivedChars).toLocaleString('en')} characters from the model`);
    } else if (event.event === 'text') {
      textChars += typeof data.delta === 'string' ? data.delta.length : 0;
      progress(`writing the ata: ${textChars.toLocaleString('en')} characters`);
    } else if (event.event === 'done') return data.minutes as Minutes;
    else if (event.event === 'error') throw new Error(`generation failed: ${String(data.code)}: ${String(data.error)}`);
  }
  throw new Error('the generation stream ended without an answer');
}

/**
 * GET /v1/events, kept open for the whole demo (and reopened with Last-Event-ID if it drops): a
 * wait wakes on the events it names and then checks the state through the API, so a missed event
 * costs at most one poll interval.
 */
async function openEventStream(baseUrl: string, token: () => Promise<string | undefined>, progress: (text: string) => void) {
  const controller = new AbortController();
  let lastEventId: string | undefined;
  let wake: ((event: ServerEvent) => void) | undefined;
  const { promise: isConnected, resolve: connected } = Promise.withResolvers<void>();

  void (async () => {
    while (!controller.signal.aborted) {
      try {
        const response = await fetch(`${baseUrl}/v1/events`, {
          headers: { authorization: `Bearer ${await token()}`, accept: 'text/event-stream', ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
          signal: controller.signal,
        });
        if (!response.ok || !response.body) throw new Error(`GET /v1/events answered ${response.status}`);
        connected();
        for await (const event of readServerEvents(response.body)) {
          lastEventId = event.id ?? lastEventId;
          wake?.(event);
        }
      } catch {
        // dropped or refused: reconnect below (the waits poll meanwhile)
      }
      connected();
      if (!controller.signal.aborted) await sleep(2000);
    }
  })();
  await Promise.race([isConnected, sleep(5000)]);

  return {
    /**
     * Resolves with what `check` returns once it is not undefined; checked now, at each event of
     * `types`, and every `pollMs`. `label` says what is awaited, given the seconds waited so far.
     */
    async waitFor<T>(options: { types: string[]; check: () => Promise<T | undefined>; label: (elapsedSec: number) => string; timeoutMs?: number; pollMs?: number }): Promise<T> {
      const started = Date.now();
      const elapsedSec = () => Math.floor((Date.now() - started) / 1000);
      for (;;) {
        const result = await options.check();
        if (result !== undefined) return result;
        if (options.timeoutMs !== undefined && Date.now() - started > options.timeoutMs) throw new Error(`gave up: ${options.label(elapsedSec())}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, options.pollMs ?? 5000);
          const ticker = setInterval(() => progress(options.label(elapsedSec())), 1000);
          function done() {
            clearTimeout(timer);
            clearInterval(ticker);
            wake = undefined;
            resolve();
          }
          wake = (event) => {
            if (options.types.includes(event.event)) done();
          };
        });
      }
    },
    close: () => controller.abort(),
  };
}
