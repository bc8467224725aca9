import type { MeetingRow } from '../meetings/meetings.repo.js';
import { ataNotes, type AtaNotes } from './ata.schema.js';
import type { PdfRenderInput } from './minutes.worker-pool.js';
import type { MinutesLanguage } from './minutes.prompt.js';
import type { MinutesRow } from './minutes.repo.js';
import type { SignerInput } from './minutes.schemas.js';
import { formatMeetingTime, wordingOf } from './minutes.template.js';

/**
 * DocuSign anchor strings, 1-based: the PDF writes them in white at signer n's line, and the
 * envelope places n's signature there. Here, not beside the renderer, so the API need not load pdfkit.
 */
export const signatureAnchor = (n: number) => `/sig${n}/`;

const pdfWording: Record<MinutesLanguage, { pageTemplate: string; signatures: string; contentHash: string; draft: string; test: string }> = {
  'pt-BR': { pageTemplate: 'Página {page} de {total}', signatures: 'Assinaturas', contentHash: 'SHA-256 do conteúdo', draft: 'RASCUNHO', test: 'TESTE' },
  en: { pageTemplate: 'Page {page} of {total}', signatures: 'Signatures', contentHash: 'Content SHA-256', draft: 'DRAFT', test: 'TEST' },
  es: { pageTemplate: 'Página {page} de {total}', signatures: 'Firmas', contentHash: 'SHA-256 del contenido', draft: 'BORRADOR', test: 'PRUEBA' },
};

/** Where the meeting took place, as the minutes say it. */
export function platformOf(meeting: Pick<MeetingRow, 'zoomMeetingId'>, language: MinutesLanguage): string {
  const zoom = { 'pt-BR': 'videoconferência (Zoom)', en: 'video conference (Zoom)', es: 'videoconferencia (Zoom)' };
  const other = { 'pt-BR': 'meio não informado', en: 'means not recorded', es: 'medio no informado' };
  return (meeting.zoomMeetingId ? zoom : other)[language];
}

/** The people who sign: those named in the request, else the chair and the secretary the minutes name. */
function signatureLinesOf(row: MinutesRow, notes: AtaNotes | undefined, language: MinutesLanguage) {
  const requested = row.signers as SignerInput[];
  if (requested.length > 0) return requested.map((signer) => (signer.name ? { name: signer.name, email: signer.email } : { name: signer.email }));
  const words = wordingOf(language);
  if (notes?.presiding && notes.presiding === notes.secretary) return [{ name: notes.presiding, role: `${words.presiding}, ${words.secretary}` }];
  return [
    ...(notes?.presiding ? [{ name: notes.presiding, role: words.presiding }] : []),
    ...(notes?.secretary ? [{ name: notes.secretary, role: words.secretary }] : []),
  ];
}

/** What the PDF of these minutes shows: a draft or test watermark, one signature line per signer. */
export function pdfInputOf(row: MinutesRow, meeting: MeetingRow, organizationName: string): PdfRenderInput {
  const language = row.language as MinutesLanguage;
  const words = wordingOf(language);
  const { draft, test, ...labels } = pdfWording[language];
  const parsed = ataNotes.safeParse(row.notes);
  const notes = parsed.success ? parsed.data : undefined;
  const { date, time } = formatMeetingTime(meeting.startTime, language, row.timeZone);
  const watermark = row.isTest ? test : row.status === 'draft' ? draft : undefined;
  return {
    organizationName,
    title: meeting.topic,
    metadata: [
      { label: words.date, value: date },
      { label: words.time, value: time },
      // Only facts we hold: who presided is in the content, which the user may have corrected.
      { label: words.place, value: platformOf(meeting, language) },
    ],
    markdown: row.content,
    signers: signatureLinesOf(row, notes, language),
    labels: { ...labels, ...(watermark ? { draft: watermark } : {}) },
    contentSha256: row.contentSha256!,
    createdAt: row.finalizedAt ?? row.generatedAt ?? undefined,
  };
}

/** The stored PDF is of the current content (it is re-rendered after each change). */
export function isPdfCurrent(row: MinutesRow): boolean {
  return Boolean(row.pdfBlobKey && row.contentSha256 && row.pdfContentSha256 === row.contentSha256);
}
