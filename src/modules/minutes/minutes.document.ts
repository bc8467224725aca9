import { formatDateAndTime } from '../../i18n/format.js';
import { catalogOf, parseLanguage, type Language } from '../../i18n/languages.js';
import type { MeetingRow } from '../meetings/meetings.repo.js';
import { storedMinutesRecord, type MinutesRecord } from './minutes.record.js';
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

/**
 * The people who sign: those named in the request, else the chair and the secretary under the
 * titles of the meeting's kind. A role nobody is known to hold keeps its line, with the title
 * and no name, so the printed ata has a line to sign: the name is never guessed. Minutes with no
 * readable record are a meeting of the general kind with both roles unknown.
 */
export function signatureLinesOf(
  row: Pick<MinutesRow, 'signers'>,
  record: (Pick<MinutesRecord, 'kind'> & { chair: { name: string | null }; secretary: { name: string | null } }) | undefined,
  language: Language,
): PdfRenderInput['signers'] {
  const requested = row.signers as SignerInput[];
  if (requested.length > 0) return requested.map((signer) => (signer.name ? { name: signer.name, email: signer.email } : { name: signer.email }));
  const titles = catalogOf(language).minutes.kinds[record?.kind ?? 'general'];
  const chair = record?.chair.name ?? null;
  const secretary = record?.secretary.name ?? null;
  if (chair && chair === secretary) return [{ name: chair, role: `${titles.chair}, ${titles.secretary}` }];
  return [
    { name: chair ?? '', role: titles.chair },
    { name: secretary ?? '', role: titles.secretary },
  ];
}

/**
 * What the PDF of these minutes shows: a draft or test watermark, one signature line per signer.
 * Throws on a language the catalogs do not know.
 */
export function pdfInputOf(row: MinutesRow, meeting: MeetingRow, organizationName: string): PdfRenderInput {
  const language = parseLanguage(row.language);
  const words = catalogOf(language).minutes;
  const parsed = storedMinutesRecord.safeParse(row.notes);
  const record = parsed.success ? parsed.data : undefined;
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
    signers: signatureLinesOf(row, record, language),
    contentSha256: row.contentSha256!,
    createdAt: row.finalizedAt ?? row.generatedAt ?? undefined,
  };
}

/** The stored PDF is of the current content (it is re-rendered after each change). */
export function isPdfCurrent(row: MinutesRow): boolean {
  return Boolean(row.pdfBlobKey && row.contentSha256 && row.pdfContentSha256 === row.contentSha256);
}
