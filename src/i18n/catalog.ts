/**
 * Every user-facing word of one language, by section. Each language's file (`pt-BR.ts`, `en.ts`,
 * `es.ts`) `satisfies Catalog`, so a missing, misspelt or extra key is a compile error, and
 * catalog.test.ts checks the values. A new kind of text (e-mails, say) is a new section
 * here, then in each language's file.
 *
 * Values are strings, or functions where the text takes values. Functions do not cross worker
 * threads: a thread is told the language and reads its own catalog (see minutes.worker.ts).
 */
import type { EmailKind, GenerationFailure } from './email-kinds.js';
import type { MeetingKind } from './meeting-kinds.js';
import type { VoteMethod, VoteOutcome } from './votes.js';

export interface Catalog {
  /** The Intl locale that writes dates as people of this language do (en-GB: day before month). */
  locale: string;
  /** The language as the model is told to write it; the prompt itself is in English. */
  modelLanguage: string;
  minutes: MinutesWords;
  pdf: PdfWords;
  envelope: EnvelopeWords;
  email: EmailWords;
}

/** The formal frame of the minutes' Markdown (minutes.template.ts) and the facts it states. */
export interface MinutesWords {
  openingHeading: string;
  date: string;
  time: string;
  place: string;
  /** What changes with the kind of meeting: heading, formulas, attendance, the titles in the signature block. */
  kinds: Record<MeetingKind, KindWords>;
  /** Said when the meeting has a quorum rule (minutes record's `quorum`). */
  quorum: QuorumWords;
  absent: string;
  /** Present without being one of the expected members: advisers, executives, invited guests. */
  guests: string;
  agenda: string;
  /** Beside an item of the agenda that was not discussed, and in its place in the discussion. */
  notDiscussed: string;
  /** The subjects raised outside the agenda (assuntos gerais). */
  otherBusiness: string;
  discussion: string;
  decisions: string;
  proposedBy: string;
  vote: string;
  /** Which agenda item a deliberação belongs to. */
  agendaItem: (number: number) => string;
  /** The result of a deliberação's vote (minutes.vote.ts puts these together); every enum value has its words. */
  voting: VotingWords;
  actionItems: string;
  actionColumns: readonly [owner: string, task: string, due: string, reference: string];
  noDueDate: string;
  /** Where a statement is in the recording: its time, else (a transcript without times) its turn, counted from 1. */
  reference: { recording: (time: string) => string; turn: (ordinal: number) => string };
  closing: string;
  none: string;
  /** Where the meeting took place: on Zoom, or somewhere we were not told. */
  platform: { zoom: string; unknown: string };
}

/** The meeting's date in parts, so each formula can say it its own way ("Aos 9 dias do mês de março de 2027"). */
export interface DateParts {
  day: number;
  /** The month's name in the language ("março", "March"). */
  month: string;
  year: number;
}

/**
 * The opening formula's facts, already in the language. `chair` and `secretary` are null when
 * unknown: the formula then leaves them out, never guesses.
 */
export interface OpeningFacts {
  date: DateParts;
  time: string;
  place: string;
  chair: string | null;
  secretary: string | null;
}

/** The words of one kind of meeting (src/i18n/meeting-kinds.ts), in the formal style of that kind of body. */
export interface KindWords {
  /** "ATA DA REUNIÃO DO CONSELHO DE ADMINISTRAÇÃO"; the minutes' title follows it. */
  heading: string;
  opening: (facts: OpeningFacts) => string;
  /** The heading of who was present: "Conselheiros presentes". */
  attendance: string;
  /** The titles under the signature lines: "Presidente do Conselho", "Secretário(a)". */
  chair: string;
  secretary: string;
  /** The closing formula; `secretary` null when unknown. */
  closing: (secretary: string | null) => string;
}

/** The quorum's sentence in the opening, and the warning of minutes whose meeting did not reach it. */
export interface QuorumWords {
  met: (counts: QuorumCounts) => string;
  notMet: (counts: QuorumCounts) => string;
  /** The label and text of the warning line, shown when the quorum was not met. */
  warningLabel: string;
  warning: string;
}

export interface QuorumCounts {
  present: number;
  expected: number;
  required: number;
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

/**
 * The notification e-mails (notifications.templates.ts): the parts every e-mail shares, and each
 * kind's own words. Sentences are plain text: the template escapes them for the HTML version.
 */
export interface EmailWords {
  /** The salutation; `name` null when we do not know it ("Olá, Ana," / "Olá,"). */
  greeting: (name: string | null) => string;
  signOff: string;
  /** The sender, under the sign-off: Atas and the organization it writes for. */
  signature: (organizationName: string) => string;
  /** Why the recipient gets the e-mail: as the meeting's owner, or as one of its participants. */
  whyYouGetThis: Record<EmailAudience, (organizationName: string) => string>;
  /** The question before the unsubscribe link, which stops one kind of e-mail only: `label` is that kind's. */
  unsubscribe: (label: string) => string;
  unsubscribeLink: string;
  /** The link to the recipient's notification settings, when they have an account. */
  preferencesLink: string;
  /** Under the button, before its address written out, for mail clients that do not show the button. */
  buttonFallback: string;
  /** The page the unsubscribe link opens: `question` and its `button`, then `done`; `label` is the kind's, `email` the address. */
  unsubscribePage: {
    title: string;
    question: (label: string, email: string) => string;
    button: string;
    done: (label: string, email: string) => string;
  };
  kinds: { [Kind in EmailKind]: EmailKindWords[Kind] };
}

/** Who an e-mail is written to. */
export type EmailAudience = 'owner' | 'participant';

/** The meeting an e-mail is about, already in the language. */
export interface EmailMeeting {
  topic: string;
  /** The meeting's day ("9 de março de 2027"). */
  date: string;
}

/** The words every kind has. `label` names the kind in the unsubscribe question ("atas prontas para revisão"). */
export interface EmailKindBase {
  label: string;
  /** Short: the template cuts the topic so that the subject stays under 78 characters. */
  subject: (topic: string) => string;
  /** The first sentence: what happened. */
  intro: (meeting: EmailMeeting) => string;
}

/** The words of each kind of e-mail (src/i18n/email-kinds.ts). `action` is the button's label. */
export interface EmailKindWords {
  minutes_ready: EmailKindBase & { next: string; action: string };
  minutes_failed: EmailKindBase & { reason: (reason: string) => string; failures: Record<GenerationFailure, string>; next: string; action: string };
  /** `signerName` null when DocuSign did not say who declined. */
  signer_declined: Omit<EmailKindBase, 'intro'> & {
    intro: (meeting: EmailMeeting & { signerName: string | null }) => string;
    reason: (reason: string) => string;
    noReason: string;
    next: string;
    action: string;
  };
  /** `reason` only when known. */
  envelope_voided: EmailKindBase & { reason: (reason: string) => string; next: string; action: string };
  /** `action` downloads the signed PDF; `viewMinutes` opens the minutes in the app. */
  envelope_completed: EmailKindBase & { action: string; viewMinutes: string };
  /** The signed PDF is attached (`attached`), or to download until a date and time (`download`), with the button `action`. */
  signed_ata: EmailKindBase & { attached: string; download: (expiresAt: { date: string; time: string }) => string; action: string };
}
