import { z } from 'zod';
import { meetingKinds } from '../../i18n/meeting-kinds.js';
import { quorumRule } from '../meetings/meeting-settings.js';
import { storedMinutesNotes, vote, voteOutcomes } from './minutes.notes.js';

/**
 * The minutes as data: what the model noted (minutes.notes.ts) joined with what we hold (the
 * meeting's settings, agenda, invitees and transcript). Built once per generation
 * (minutes.record-build.ts), stored in meeting_minutes.notes, returned as `structured` and
 * rendered by the template, so the text, the PDF and the API never disagree.
 */

/** Where a statement comes from in the recording: a turn, its start, who spoke and what was said. */
export const evidence = z
  .object({
    turn: z.int().min(0).describe('Index (from 0) of the transcript turn'),
    time: z.string().nullable().describe('When the turn starts in the recording, hh:mm:ss; null when the transcript has no times'),
    speaker: z.string().nullable(),
    quote: z.string().describe('What was said in that turn, as transcribed (long turns are cut with …)'),
  })
  .meta({ id: 'MinutesEvidence' });
export type Evidence = z.infer<typeof evidence>;

export const roleSources = ['settings', 'transcript'] as const;

/** The chair or the secretary: named by the meeting's settings, or by the transcript with the turn that says so, or unknown. */
const role = z.object({
  name: z.string().nullable().describe('Null when neither the settings nor the transcript say who it is: the ata leaves it empty'),
  source: z.enum(roleSources).nullable(),
  evidence: evidence.nullable(),
});

export const quorum = z
  .object({
    rule: quorumRule,
    expected: z.int().min(0).describe('How many members were expected'),
    required: z.int().min(0).describe('How many of them make the quorum under the rule'),
    present: z.int().min(0),
    met: z.boolean(),
    presentMembers: z.array(z.string()),
    absentMembers: z.array(z.string()),
  })
  .meta({ id: 'MinutesQuorum' });
export type Quorum = z.infer<typeof quorum>;

const agendaEntry = z.object({
  number: z.int().min(1).nullable().describe("The item's number on the meeting's agenda; null for a subject raised outside it (assuntos gerais) or when the meeting has no agenda"),
  title: z.string(),
  discussion: z.string().nullable().describe('Null: the item was on the agenda and not discussed'),
});

const decision = z.object({
  text: z.string(),
  proposedBy: z.string().nullable(),
  outcome: z.enum(voteOutcomes).nullable(),
  vote,
  agendaItem: z.int().min(1).nullable(),
  sourceTurn: z.int().min(0),
  evidence: z.array(evidence),
});

const actionItem = z.object({
  owner: z.string().nullable().describe("The participant or member it was matched to, else the name as said"),
  ownerEmail: z.string().nullable().describe("The owner's e-mail, when the owner is a participant or member with one"),
  task: z.string(),
  dueDate: z.iso.date().nullable().describe('The deadline as a date, resolved from what was said against the meeting date and time zone'),
  dueAsSaid: z.string().nullable().describe('The deadline in the words said'),
  sourceTurn: z.int().min(0),
  evidence: z.array(evidence),
});

/** What a secretary should check before signing: each is said in the response, never guessed away. */
export const minutesFlags = ['chair_unknown', 'secretary_unknown', 'quorum_not_met', 'quorum_unknown', 'agenda_items_not_discussed'] as const;
export type MinutesFlag = (typeof minutesFlags)[number];

export const minutesRecord = z
  .object({
    kind: z.enum(meetingKinds),
    title: z.string(),
    chair: role,
    secretary: role,
    attendees: z
      .array(
        z.object({
          name: z.string(),
          role: z.string().nullable(),
          email: z.string().nullable(),
          member: z.boolean().nullable().describe('One of the expected members (else a guest); null when the meeting lists none'),
        }),
      )
      .describe('Who was present'),
    absent: z.array(z.string()).describe('Expected members or invitees who were not present'),
    quorum: quorum.nullable().describe('Null when the meeting declares no quorum rule'),
    agenda: z.array(agendaEntry).describe("The meeting's agenda item by item (every item, discussed or not), then the subjects raised outside it"),
    decisions: z.array(decision),
    actionItems: z.array(actionItem),
    flags: z.array(z.enum(minutesFlags)).describe('What the secretary should check: an unknown chair or secretary, a quorum not met or unknown, agenda items not discussed'),
  })
  .meta({ id: 'MinutesRecord' });
export type MinutesRecord = z.infer<typeof minutesRecord>;
export type ActionItem = MinutesRecord['actionItems'][number];

/**
 * Notes stored before the record existed: the model's notes as they were (votes as text, or
 * votes as data without agenda items or role turns). Read into a record with nothing invented:
 * the kind is general, no quorum, no evidence, due dates as said.
 */
function recordOfLegacyNotes(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Object.hasOwn(value, 'kind')) return value;
  const legacy = storedMinutesNotes.safeParse(value);
  if (!legacy.success) return value;
  const notes = legacy.data;
  const roleOf = (name: string | null) => ({ name, source: name ? ('transcript' as const) : null, evidence: null });
  return {
    kind: 'general',
    title: notes.title,
    chair: roleOf(notes.presiding),
    secretary: roleOf(notes.secretary),
    attendees: notes.attendees.map((attendee) => ({ ...attendee, email: null, member: null })),
    absent: [],
    quorum: null,
    agenda: notes.agenda.map((item) => ({ number: null, title: item.title, discussion: item.discussion })),
    decisions: notes.decisions.map((decision) => ({ ...decision, agendaItem: null, evidence: [] })),
    actionItems: notes.actionItems.map((item) => ({ owner: item.owner, ownerEmail: null, task: item.task, dueDate: null, dueAsSaid: item.due, sourceTurn: item.sourceTurn, evidence: [] })),
    flags: [...(notes.presiding ? [] : ['chair_unknown']), ...(notes.secretary ? [] : ['secretary_unknown'])],
  };
}

/** meeting_minutes.notes and minutes_versions.notes as read back: a record, or notes from before it. */
export const storedMinutesRecord = z.preprocess(recordOfLegacyNotes, minutesRecord);
