import type { KindWords, MinutesWords } from '../../i18n/catalog.js';
import { datePartsOf, formatCalendarDate, formatDateAndTime } from '../../i18n/format.js';
import { catalogOf, type Language } from '../../i18n/languages.js';
import type { Evidence, MinutesRecord } from './minutes.record.js';
import { voteResultOf } from './minutes.vote.js';

/** What the ata states that the record does not hold: the meeting as scheduled and where it took place. */
export interface MinutesFacts {
  topic: string;
  startTime: Date;
  durationMinutes: number;
  /** Where it took place, in the ata's language (minutes.document.ts `platformOf`). */
  platform: string;
  timeZone: string;
}

type AgendaEntry = MinutesRecord['agenda'][number];

/**
 * The ata's Markdown, from the minutes record and the facts we hold. The formal frame (abertura,
 * presença, ordem do dia, deliberações, encerramento) is ours, in the words of the language's
 * catalog (src/i18n) for the record's kind of meeting; only names and the model's text come
 * from the record, escaped so they stay text.
 */
export function renderMinutesMarkdown(record: MinutesRecord, facts: MinutesFacts, language: Language): string {
  const words = catalogOf(language).minutes;
  const kind = words.kinds[record.kind];
  // Guests (present, not among the expected members) are listed apart from the members.
  const members = record.attendees.filter((person) => person.member !== false);
  const guests = record.attendees.filter((person) => person.member === false);
  const lines: string[] = [
    `# ${kind.heading}: ${escapeInline(record.title)}`,
    '',
    ...openingOf(record, facts, language),
    `## ${kind.attendance}`,
    '',
    ...listOr(members.map(attendeeLine), words.none),
    ...(guests.length > 0 ? ['', `**${words.guests}:**`, '', ...guests.map((person) => `- ${attendeeLine(person)}`)] : []),
    ...(record.absent.length > 0 ? ['', `**${words.absent}:** ${escapeInline(record.absent.join(', '))}`] : []),
    '',
    ...agendaOf(record.agenda, words),
    ...decisionsOf(record, language),
    ...actionItemsOf(record, language),
    `## ${words.closing}`,
    '',
    escapeInline(kind.closing(record.secretary.name)),
    '',
  ];
  return lines.join('\n');
}

/** The opening formula of the kind; then, when the meeting has a quorum rule, whether it was met. */
function openingOf(record: MinutesRecord, facts: MinutesFacts, language: Language): string[] {
  const { minutes: words } = catalogOf(language);
  const kind: KindWords = words.kinds[record.kind];
  const { time } = formatDateAndTime(facts.startTime, language, facts.timeZone);
  const date = datePartsOf(facts.startTime, language, facts.timeZone);
  const opening = kind.opening({ date, time, place: facts.platform, chair: record.chair.name, secretary: record.secretary.name });
  const { quorum } = record;
  const counts = quorum && { present: quorum.present, expected: quorum.expected, required: quorum.required };
  return [
    `## ${words.openingHeading}`,
    '',
    escapeInline(opening),
    '',
    ...(counts ? [escapeInline(quorum.met ? words.quorum.met(counts) : words.quorum.notMet(counts)), ''] : []),
    ...(quorum && !quorum.met ? [`**${words.quorum.warningLabel}** ${escapeInline(words.quorum.warning)}`, ''] : []),
  ];
}

/**
 * The ordem do dia, every item in its number's order, those not discussed marked so; then what
 * was discussed under each; then the subjects raised outside it. A meeting without an agenda
 * (no entry has a number) lists its subjects as they were taken, numbered from 1.
 */
function agendaOf(agenda: AgendaEntry[], words: MinutesWords): string[] {
  const items = agenda.filter((entry) => entry.number !== null).sort((a, b) => a.number! - b.number!);
  const hasAgenda = items.length > 0;
  const numbered = hasAgenda ? items.map((entry) => ({ ...entry, number: entry.number! })) : agenda.map((entry, index) => ({ ...entry, number: index + 1 }));
  const otherBusiness = hasAgenda ? agenda.filter((entry) => entry.number === null) : [];
  const discussionOf = (entry: AgendaEntry) => (entry.discussion === null ? words.notDiscussed : escapeBlock(entry.discussion));
  return [
    `## ${words.agenda}`,
    '',
    ...(numbered.length > 0
      ? numbered.map((entry) => `${entry.number}. ${escapeInline(entry.title)}${entry.discussion === null ? ` *(${words.notDiscussed})*` : ''}`)
      : [words.none]),
    '',
    `## ${words.discussion}`,
    '',
    ...numbered.flatMap((entry) => [`### ${entry.number}. ${escapeInline(entry.title)}`, '', discussionOf(entry), '']),
    ...(otherBusiness.length > 0
      ? [`## ${words.otherBusiness}`, '', ...otherBusiness.flatMap((entry) => [`### ${escapeInline(entry.title)}`, '', discussionOf(entry), ''])]
      : []),
  ];
}

function decisionsOf(record: MinutesRecord, language: Language): string[] {
  const { minutes: words, locale } = catalogOf(language);
  const decisions = record.decisions.map((decision, index) => {
    const vote = voteResultOf(decision, words.voting, locale);
    const details = [
      decision.proposedBy ? `${words.proposedBy}: ${decision.proposedBy}` : undefined,
      // "Votação: não submetida a votação" says it twice: an item not voted on says so alone.
      vote ? (decision.outcome === 'no_vote' ? vote : `${words.vote}: ${vote}`) : undefined,
      decision.agendaItem === null ? undefined : words.agendaItem(decision.agendaItem),
      referenceOf(decision, words),
    ].filter(Boolean);
    return `${index + 1}. ${escapeInline(decision.text)} *(${escapeInline(details.join('; '))})*`;
  });
  return [`## ${words.decisions}`, '', ...(decisions.length > 0 ? decisions : [words.none]), ''];
}

function actionItemsOf(record: MinutesRecord, language: Language): string[] {
  const { minutes: words } = catalogOf(language);
  const dueOf = (item: MinutesRecord['actionItems'][number]) =>
    item.dueDate ? formatCalendarDate(item.dueDate, language) : (item.dueAsSaid ?? words.noDueDate);
  const rows = record.actionItems.map(
    (item) => `| ${escapeInline(item.owner ?? '—')} | ${escapeInline(item.task)} | ${escapeInline(dueOf(item))} | ${escapeInline(referenceOf(item, words))} |`,
  );
  return [
    `## ${words.actionItems}`,
    '',
    ...(rows.length > 0 ? [`| ${words.actionColumns.join(' | ')} |`, `| ${words.actionColumns.map(() => '---').join(' | ')} |`, ...rows] : [words.none]),
    '',
  ];
}

/**
 * Where a decision or task is in the recording: the time of its first evidence, else the turn
 * (people count turns from 1; turns and sourceTurn are 0-based indexes into the transcript).
 */
function referenceOf(source: { sourceTurn: number; evidence: Evidence[] }, words: MinutesWords): string {
  const [first] = source.evidence;
  if (first?.time) return words.reference.recording(first.time);
  return words.reference.turn((first?.turn ?? source.sourceTurn) + 1);
}

const attendeeLine = (person: MinutesRecord['attendees'][number]) => escapeInline(person.role ? `${person.name} (${person.role})` : person.name);

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
