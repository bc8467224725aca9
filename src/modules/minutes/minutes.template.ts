import { formatDateAndTime } from '../../i18n/format.js';
import { catalogOf, type Language } from '../../i18n/languages.js';
import type { MinutesNotes } from './minutes.notes.js';
import { clock } from './minutes.prompt.js';
import { voteResultOf } from './minutes.vote.js';

export interface MinutesFacts {
  topic: string;
  startTime: Date;
  durationMinutes: number;
  platform: string;
  timeZone: string;
  /** Invited people who neither spoke nor joined. */
  absent: string[];
  /** When a turn began (seconds into the meeting), for the references of decisions and tasks. */
  turnStart: (index: number) => number | null;
}

/**
 * The ata's Markdown, from the model's notes and the facts we hold. The formal frame (abertura,
 * presença, ordem do dia, deliberações, encerramento) is ours, in the words of the language's
 * catalog (src/i18n).
 */
export function renderMinutesMarkdown(notes: MinutesNotes, facts: MinutesFacts, language: Language): string {
  const catalog = catalogOf(language);
  const words = catalog.minutes;
  const { date, time } = formatDateAndTime(facts.startTime, language, facts.timeZone);
  const reference = (turn: number) => {
    const start = facts.turnStart(turn);
    // People count turns from 1; sourceTurn is the 0-based index into the transcript's turns.
    const ordinal = turn + 1;
    return start === null ? `${words.turn} ${ordinal}` : `${words.turn} ${ordinal}, ${clock(start)}`;
  };
  const lines: string[] = [
    `# ${words.heading}: ${escapeInline(notes.title)}`,
    '',
    `## ${words.openingHeading}`,
    '',
    escapeInline(words.opening({ date, time, place: facts.platform, presiding: notes.presiding, secretary: notes.secretary })),
    '',
    `## ${words.attendance}`,
    '',
    ...listOr(notes.attendees.map((person) => escapeInline(person.role ? `${person.name} (${person.role})` : person.name)), words.none),
    ...(facts.absent.length > 0 ? ['', `**${words.absent}:** ${escapeInline(facts.absent.join(', '))}`] : []),
    '',
    `## ${words.agenda}`,
    '',
    ...(notes.agenda.length > 0 ? notes.agenda.map((item, index) => `${index + 1}. ${escapeInline(item.title)}`) : [words.none]),
    '',
    `## ${words.discussion}`,
    '',
    ...notes.agenda.flatMap((item, index) => [`### ${index + 1}. ${escapeInline(item.title)}`, '', escapeBlock(item.discussion), '']),
    `## ${words.decisions}`,
    '',
    ...(notes.decisions.length > 0
      ? notes.decisions.map((decision, index) => {
          const vote = voteResultOf(decision, words.voting, catalog.locale);
          const details = [
            decision.proposedBy ? `${words.proposedBy}: ${decision.proposedBy}` : undefined,
            vote ? `${words.vote}: ${vote}` : undefined,
            reference(decision.sourceTurn),
          ].filter(Boolean);
          return `${index + 1}. ${escapeInline(decision.text)} *(${escapeInline(details.join('; '))})*`;
        })
      : [words.none]),
    '',
    `## ${words.actionItems}`,
    '',
    ...(notes.actionItems.length > 0
      ? [
          `| ${words.actionColumns.join(' | ')} |`,
          `| ${words.actionColumns.map(() => '---').join(' | ')} |`,
          ...notes.actionItems.map(
            (item) =>
              `| ${escapeInline(item.owner ?? '—')} | ${escapeInline(item.task)} | ${escapeInline(item.dueDate ?? words.noDueDate)} | ${escapeInline(reference(item.sourceTurn))} |`,
          ),
        ]
      : [words.none]),
    '',
    `## ${words.closing}`,
    '',
    escapeInline(words.closingText(notes.secretary)),
    '',
  ];
  return lines.join('\n');
}

function listOr(items: string[], none: string): string[] {
  return items.length > 0 ? items.map((item) => `- ${item}`) : [none];
}

/** Text from the model or the transcript must not become Markdown structure (or HTML). */
function escapeInline(text: string): string {
  return text
    .trim()
    .replace(/\s*\n\s*/g, ' ')
    .replace(/([\\`*_[\]<>|#])/g, '\\$1')
    .replace(/^([-+=~])/, '\\$1') // would start a list, a rule or a fence
    .replace(/^(\d+)([.)])/, '$1\\$2'); // would start a numbered list
}

function escapeBlock(text: string): string {
  return text
    .split(/\n{2,}/)
    .map((paragraph) => escapeInline(paragraph))
    .join('\n\n');
}


