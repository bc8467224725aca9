import { formatDateAndTime } from '../../i18n/format.js';
import { catalogOf, parseLanguage, type Language } from '../../i18n/languages.js';
import type { MeetingRow } from '../meetings/meetings.repo.js';
import { storedMinutesNotes, type MinutesNotes } from './minutes.notes.js';
import type { MinutesRow } from './minutes.repo.js';
import type { SignerInput } from './minutes.schemas.js';
import type { PdfRenderInput } from './minutes.worker-pool.js';

/**
 * DocuSign anchor strings, 1-based: the PDF writes them in white at signer n's line, and the
 * envelope places n's signature there. Here, not beside the renderer, so the API need not load pdfkit.
 */
export const signatureAnchor = (n: number) => `/sig${n}/`;

/** Where the meeting took place, as the minutes say it. */
export function platformOf(meeting: Pick<MeetingRow, 'zoomMeetingId'>, language: Language): string {
  const { platform } = catalogOf(language).minutes;
  return meeting.zoomMeetingId ? platform.zoom : platform.unknown;
}

/** The people who sign: those named in the request, else the chair and the secretary the minutes name. */
function signatureLinesOf(row: MinutesRow, notes: MinutesNotes | undefined, language: Language) {
  const requested = row.signers as SignerInput[];
  if (requested.length > 0) return requested.map((signer) => (signer.name ? { name: signer.name, email: signer.email } : { name: signer.email }));
  const words = catalogOf(language).minutes;
  if (notes?.presiding && notes.presiding === notes.secretary) return [{ name: notes.presiding, role: `${words.presiding}, ${words.secretary}` }];
  return [
    ...(notes?.presiding ? [{ name: notes.presiding, role: words.presiding }] : []),
    ...(notes?.secretary ? [{ name: notes.secretary, role: words.secretary }] : []),
  ];
}

/**
 * What the PDF of these minutes shows: a draft or test watermark, one signature line per signer.
 * Throws on a language the catalogs do not know.
 */
export function pdfInputOf(row: MinutesRow, meeting: MeetingRow, organizationName: string): PdfRenderInput {
  const language = parseLanguage(row.language);
  const words = catalogOf(language).minutes;
  const parsed = storedMinutesNotes.safeParse(row.notes);
  const notes = parsed.success ? parsed.data : undefined;
  const { date, time } = formatDateAndTime(meeting.startTime, language, row.timeZone);
  return {
    language,
    watermark: row.isTest ? 'test' : row.status === 'draft' ? 'draft' : undefined,
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
    contentSha256: row.contentSha256!,
    createdAt: row.finalizedAt ?? row.generatedAt ?? undefined,
  };
}

/** The stored PDF is of the current content (it is re-rendered after each change). */
export function isPdfCurrent(row: MinutesRow): boolean {
  return Boolean(row.pdfBlobKey && row.contentSha256 && row.pdfContentSha256 === row.contentSha256);
}
