import ICAL from 'ical.js';
import { catalogOf, defaultLanguage, type Language } from '../../i18n/languages.js';
import type { ActionItem, Evidence } from './minutes.record.js';

export interface CalendarAbout {
  minutesId: string;
  /** The minutes' title: the calendar's name. */
  title: string;
  /** DTSTAMP of every task: when the minutes were generated, so the same minutes give the same text. */
  generatedAt: Date;
  /** Where the minutes can be read; each task links to it. */
  url?: string;
  /** The words of the descriptions (owner, deadline, recording); pt-BR when not said. */
  language?: Language;
}

/**
 * The action items as an iCalendar (RFC 5545) text, one VTODO per item, for a calendar or task app
 * to import. A task's UID is `${minutesId}-${n}@atas` (n from 1, in the items' order), so importing
 * the same minutes again updates the tasks instead of adding copies. Lines end in CRLF and are
 * folded at 75 octets, continuation space included (ical.js allows 76 there).
 */
export function actionItemsCalendar(items: readonly ActionItem[], about: CalendarAbout): string {
  const calendar = new ICAL.Component('vcalendar');
  calendar.addPropertyWithValue('version', '2.0');
  calendar.addPropertyWithValue('prodid', '-//Atas//Minutes//EN');
  calendar.addPropertyWithValue('calscale', 'GREGORIAN');
  calendar.addPropertyWithValue('method', 'PUBLISH');
  // ical.js writes X- properties raw; calendar apps read X-WR-CALNAME as TEXT, escaped.
  calendar.addPropertyWithValue('x-wr-calname', escapeText(about.title));
  const url = about.url === undefined ? undefined : new URL(about.url).href;
  items.forEach((item, index) => calendar.addSubcomponent(todoOf(item, index, { ...about, url })));
  return `${fold(calendar.toString().replace(/\r\n /g, ''))}\r\n`;
}

function todoOf(item: ActionItem, index: number, about: CalendarAbout): ICAL.Component {
  const todo = new ICAL.Component('vtodo');
  todo.addPropertyWithValue('uid', `${about.minutesId}-${index + 1}@atas`);
  todo.addPropertyWithValue('dtstamp', ICAL.Time.fromJSDate(about.generatedAt, true));
  todo.addPropertyWithValue('summary', item.task);
  if (item.dueDate) todo.addPropertyWithValue('due', ICAL.Time.fromDateString(item.dueDate));
  todo.addPropertyWithValue('description', descriptionOf(item, about.language ?? defaultLanguage));
  if (item.ownerEmail) {
    const attendee = todo.addPropertyWithValue('attendee', `mailto:${item.ownerEmail}`);
    if (item.owner) attendee.setParameter('cn', item.owner);
  }
  todo.addPropertyWithValue('status', 'NEEDS-ACTION');
  if (about.url) todo.addPropertyWithValue('url', about.url);
  return todo;
}

/** Who, the deadline as said, and where it was said in the recording, one per line. */
function descriptionOf(item: ActionItem, language: Language): string {
  const words = catalogOf(language).minutes;
  const [ownerLabel, , dueLabel] = words.actionColumns;
  const referenceOf = (evidence: Evidence) => {
    const where = evidence.time ? words.reference.recording(evidence.time) : words.reference.turn(evidence.turn + 1);
    return `${where} — ${evidence.speaker ? `${evidence.speaker}: ` : ''}“${evidence.quote}”`;
  };
  return [
    ...(item.owner ? [`${ownerLabel}: ${item.owner}`] : []),
    ...(item.dueAsSaid ? [`${dueLabel}: ${item.dueAsSaid}`] : []),
    ...(item.evidence.length > 0 ? item.evidence.map(referenceOf) : [words.reference.turn(item.sourceTurn + 1)]),
  ].join('\n');
}

/** RFC 5545 §3.3.11 TEXT. */
function escapeText(text: string): string {
  return text.replace(/[\\;,]/g, (char) => `\\${char}`).replace(/\r?\n|\r/g, '\\n');
}

/** RFC 5545 §3.1: lines of at most 75 octets, continued after CRLF and a space, never inside a character. */
function fold(text: string): string {
  return text
    .split('\r\n')
    .map((line) => {
      const parts: string[] = [];
      let part = '';
      let octets = 0;
      for (const char of line) {
        const size = Buffer.byteLength(char);
        if (octets + size > 75) {
          parts.push(part);
          part = ' ';
          octets = 1;
        }
        part += char;
        octets += size;
      }
      return [...parts, part].join('\r\n');
    })
    .join('\r\n');
}
