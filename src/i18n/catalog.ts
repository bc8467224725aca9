/**
 * Every user-facing word of one language, by section. Each language's file (`pt-BR.ts`, `en.ts`,
 * `es.ts`) `satisfies Catalog`, so a missing, misspelt or extra key is a compile error, and
 * catalog.test.ts checks the values. A new kind of text (e-mails, meeting kinds) is a new section
 * here, then in each language's file.
 *
 * Values are strings, or functions where the text takes values. Functions do not cross worker
 * threads: a thread is told the language and reads its own catalog (see minutes.worker.ts).
 */
import type { VoteMethod, VoteOutcome } from './votes.js';

export interface Catalog {
  /** The Intl locale that writes dates as people of this language do (en-GB: day before month). */
  locale: string;
  /** The language as the model is told to write it; the prompt itself is in English. */
  modelLanguage: string;
  minutes: MinutesWords;
  pdf: PdfWords;
  envelope: EnvelopeWords;
}

/** The formal frame of the minutes' Markdown (minutes.template.ts) and the facts it states. */
export interface MinutesWords {
  heading: string;
  openingHeading: string;
  date: string;
  time: string;
  place: string;
  presiding: string;
  secretary: string;
  opening: (facts: { date: string; time: string; place: string; presiding: string | null; secretary: string | null }) => string;
  attendance: string;
  absent: string;
  agenda: string;
  discussion: string;
  decisions: string;
  proposedBy: string;
  vote: string;
  /** The result of a deliberação's vote (minutes.vote.ts puts these together); every enum value has its words. */
  voting: VotingWords;
  actionItems: string;
  actionColumns: readonly [owner: string, task: string, due: string, reference: string];
  noDueDate: string;
  turn: string;
  closing: string;
  closingText: (secretary: string | null) => string;
  none: string;
  /** Where the meeting took place: on Zoom, or somewhere we were not told. */
  platform: { zoom: string; unknown: string };
}

/**
 * A deliberação's vote: "aprovada por 5 votos a favor, 1 contra (Fulano) e 1 abstenção".
 * Outcomes agree with the deliberação (feminine in pt-BR and es).
 */
export interface VotingWords {
  outcome: Record<VoteOutcome, string>;
  /** How it was voted; `counted` is the word before the counts ("por 5 votos…"). `not_stated` says nothing. */
  method: Record<Exclude<VoteMethod, 'not_stated'>, string>;
  inFavour: (count: number) => string;
  against: (count: number) => string;
  abstaining: (count: number) => string;
}

/** What the PDF prints around the content: footers, the signature block, the watermarks. */
export interface PdfWords {
  page: (page: number, total: number) => string;
  signatures: string;
  contentHash: string;
  /** Watermarks. */
  draft: string;
  test: string;
}

/** The DocuSign envelope's e-mail, when the request does not give its own. */
export interface EnvelopeWords {
  subject: (topic: string) => string;
}
