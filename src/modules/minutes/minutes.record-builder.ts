import type { MeetingRow } from '../meetings/meetings.repo.js';
import { agendaItemsOf, type Member, type MinutesSettings, type QuorumRule } from '../meetings/meeting-settings.js';
import type { MeetingKind } from '../../i18n/meeting-kinds.js';
import { resolveDueDate } from './minutes.due-dates.js';
import { normalise } from './minutes.merge.js';
import type { MinutesNotes } from './minutes.notes.js';
import { matchPerson } from './minutes.people.js';
import { clock, type IndexedTurn } from './minutes.prompt.js';
import type { Evidence, MinutesFlag, MinutesRecord, Quorum } from './minutes.record.js';

/** What an ata is written with: the meeting's settings, each overridden by the generation request's own. */
export interface EffectiveSettings {
  kind: MeetingKind;
  agenda: string[];
  members: Member[] | null;
  quorum: QuorumRule | null;
  chair: string | null;
  secretary: string | null;
}

export function effectiveSettings(meeting: Pick<MeetingRow, 'kind' | 'agenda' | 'members' | 'quorum' | 'chair' | 'secretary'>, own: MinutesSettings): EffectiveSettings {
  return {
    kind: own.kind ?? meeting.kind,
    agenda: own.agenda ?? agendaItemsOf(meeting.agenda),
    members: own.members ?? meeting.members ?? null,
    quorum: own.quorum ?? meeting.quorum ?? null,
    chair: own.chair ?? meeting.chair ?? null,
    secretary: own.secretary ?? meeting.secretary ?? null,
  };
}

/** An invitee of the meeting: `joinedAt` when Zoom saw them join. */
export interface Invitee {
  name: string | null;
  email: string;
  joinedAt: Date | null;
}

interface Person {
  name: string | null;
  email: string | null;
}

/** A quote longer than this is cut: evidence points into the recording, it does not replace it. */
const MAX_QUOTE_CHARS = 500;

/**
 * The minutes record (minutes.record.ts) from the model's notes and what we hold. Nothing is
 * guessed: a role comes from the settings or from a turn the model cited, else it stays empty
 * and is flagged; presence, quorum, owners and due dates are computed here, not by the model.
 */
export function buildMinutesRecord(input: {
  notes: MinutesNotes;
  settings: EffectiveSettings;
  invitees: readonly Invitee[];
  turns: readonly IndexedTurn[];
  startTime: Date;
  timeZone: string;
}): MinutesRecord {
  const { notes, settings, invitees, turns } = input;
  const evidenceOf = (index: number | null): Evidence | null => {
    const turn = index === null ? undefined : turns[index];
    if (!turn) return null;
    const quote = turn.text.length > MAX_QUOTE_CHARS ? `${turn.text.slice(0, MAX_QUOTE_CHARS - 1)}…` : turn.text;
    return { turn: turn.index, time: turn.start === null ? null : clock(turn.start), speaker: turn.speaker, quote };
  };
  const evidenceList = (index: number) => [evidenceOf(index)].filter((found) => found !== null);

  const members: Person[] = (settings.members ?? []).map((member) => ({ name: member.name, email: member.email ?? null }));
  const people: Person[] = [...members, ...invitees.filter((invitee) => !members.some((member) => member.email === invitee.email))];
  /** A name said in the meeting as the member or invitee it names, else as said. */
  const known = (said: string) => {
    const person = matchPerson(said, people);
    return { name: person?.name ?? said, email: person?.email ?? null };
  };

  const roleOf = (fromSettings: string | null, fromTranscript: string | null, turn: number | null) => {
    if (fromSettings) return { name: fromSettings, source: 'settings' as const, evidence: null };
    const evidence = evidenceOf(turn);
    // A name without the turn that shows it would be a guess.
    if (!fromTranscript || !evidence) return { name: null, source: null, evidence: null };
    return { name: known(fromTranscript).name, source: 'transcript' as const, evidence };
  };
  const chair = roleOf(settings.chair, notes.presiding, notes.presidingSourceTurn);
  const secretary = roleOf(settings.secretary, notes.secretary, notes.secretarySourceTurn);

  // Present: who spoke or was said to be present, and who joined on Zoom without speaking.
  const isSame = (person: Person, attendee: Person) =>
    (person.email !== null && attendee.email === person.email) || (person.name !== null && matchPerson(person.name, [attendee]) !== null);
  const isMember = (attendee: Person) => (members.length > 0 ? members.some((member) => isSame(member, attendee)) : null);
  const attendees = uniqueByName([
    ...notes.attendees.map((attendee) => ({ ...known(attendee.name), role: attendee.role })),
    ...invitees.filter((invitee) => invitee.joinedAt).map((invitee) => ({ name: invitee.name ?? invitee.email, email: invitee.email, role: null })),
  ]).map((attendee) => ({ ...attendee, member: isMember(attendee) }));
  const isPresent = (person: Person) => attendees.some((attendee) => isSame(person, attendee));
  const expected = members.length > 0 ? members : invitees;
  const absent = expected.filter((person) => !isPresent(person)).map((person) => person.name ?? person.email ?? '');

  const quorum = quorumOf(settings.quorum, expected, isPresent);
  const agenda = agendaOf(notes, settings.agenda);
  const inAgenda = (item: number | null) => (item !== null && item <= settings.agenda.length ? item : null);

  const flags: MinutesFlag[] = [];
  if (!chair.name) flags.push('chair_unknown');
  if (!secretary.name) flags.push('secretary_unknown');
  if (settings.quorum && !quorum) flags.push('quorum_unknown');
  if (quorum && !quorum.met) flags.push('quorum_not_met');
  if (agenda.some((entry) => entry.number !== null && entry.discussion === null)) flags.push('agenda_items_not_discussed');

  return {
    kind: settings.kind,
    title: notes.title,
    chair,
    secretary,
    attendees,
    absent,
    quorum,
    agenda,
    decisions: notes.decisions.map((decision) => ({ ...decision, agendaItem: inAgenda(decision.agendaItem), evidence: evidenceList(decision.sourceTurn) })),
    actionItems: notes.actionItems.map((item) => {
      const owner = item.owner ? known(item.owner) : { name: null, email: null };
      return {
        owner: owner.name,
        ownerEmail: owner.email,
        task: item.task,
        dueDate: resolveDueDate(item.due, { startTime: input.startTime, timeZone: input.timeZone }),
        dueAsSaid: item.due,
        sourceTurn: item.sourceTurn,
        evidence: evidenceList(item.sourceTurn),
      };
    }),
    flags,
  };
}

const FRACTION_TOLERANCE = 0.0005;

/** How many of `expected` make a quorum under the rule. */
export function requiredFor(rule: QuorumRule, expected: number): number {
  switch (rule.rule) {
    case 'majority':
      return Math.floor(expected / 2) + 1;
    case 'fraction':
      // A fraction is read to three decimals: 2/3 given as 0.6667 asks 6 of 9 and 200 of 300, not one more.
      return Math.ceil(expected * rule.fraction - expected * FRACTION_TOLERANCE);
    case 'count':
      return rule.count;
  }
}

function quorumOf(rule: QuorumRule | null, expected: readonly Person[], isPresent: (person: Person) => boolean): Quorum | null {
  if (!rule || expected.length === 0) return null;
  const label = (person: Person) => person.name ?? person.email ?? '';
  const presentMembers = expected.filter(isPresent).map(label);
  const required = requiredFor(rule, expected.length);
  return {
    rule,
    expected: expected.length,
    required,
    present: presentMembers.length,
    met: presentMembers.length >= required,
    presentMembers,
    absentMembers: expected.filter((person) => !isPresent(person)).map(label),
  };
}

/**
 * The meeting's agenda item by item (the discussion the model filed under each, null when none),
 * then what was discussed outside it. Without an agenda, the subjects as the model found them.
 */
function agendaOf(notes: MinutesNotes, items: readonly string[]): MinutesRecord['agenda'] {
  const onAgenda = (entry: { agendaItem: number | null }) => entry.agendaItem !== null && entry.agendaItem <= items.length;
  const filed = items.map((title, index) => {
    const number = index + 1;
    const discussions = notes.agenda.filter((entry) => entry.agendaItem === number).map((entry) => entry.discussion.trim());
    // An item decided without a discussion the model wrote up was still taken.
    const decided = notes.decisions.filter((decision) => decision.agendaItem === number).map((decision) => decision.text.trim());
    const said = discussions.length > 0 ? discussions : decided;
    return { number, title, discussion: said.length > 0 ? said.join('\n\n') : null };
  });
  const outside = notes.agenda.filter((entry) => !onAgenda(entry)).map((entry) => ({ number: null, title: entry.title, discussion: entry.discussion }));
  return [...filed, ...outside];
}

function uniqueByName<T extends { name: string }>(people: T[]): T[] {
  const seen = new Map<string, T>();
  for (const person of people) if (!seen.has(normalise(person.name))) seen.set(normalise(person.name), person);
  return [...seen.values()];
}
