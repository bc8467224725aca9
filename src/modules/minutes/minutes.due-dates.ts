import { createRequire } from 'node:module';
import type * as Chrono from 'chrono-node';
import { normalise } from './minutes.merge.js';

/** A calendar date with no time or zone; month 1–12. */
interface CalendarDay {
  year: number;
  month: number;
  day: number;
}

const FRIDAY = 5;

/**
 * The date a deadline said in a meeting (pt-BR, en or es) stands for, 'YYYY-MM-DD', counted from
 * the meeting's local date in its IANA time zone; null for anything not understood (never a guess).
 * Throws RangeError for a time zone Intl does not know.
 *
 * chrono-node (pt, es, en-GB) reads dates, weekdays and "tomorrow"; the rules chrono lacks or gets
 * wrong are ours. The rules:
 * - a weekday ("sexta", "by Friday", "el viernes", "next Friday", "próxima sexta") is the next such
 *   day strictly after the meeting day; "next" does not skip a week (the earlier reading, so a
 *   deadline is never set later than meant);
 * - "end of the month" is the last day of the meeting's month (said on that day, that day);
 *   "end of next month" the last day of the next one;
 * - "end of the week" is the Friday on or after the meeting day: that day when said on a Friday,
 *   the next Friday when said at the weekend (its Friday has passed); "fim de semana" and
 *   "fin de semana" (the weekend) read the same: a task due by the weekend is due on Friday;
 * - "next week" and "end of next week" are the Friday of the next Monday-to-Sunday week;
 * - "in N days / weeks / months" counts from the meeting day; a month later is the same day of the
 *   month, or the month's last day when it is shorter;
 * - numbers are day first (15/12, as in pt, es and en-GB), but an English month name may come
 *   first ("July 20", "July 20th", "Jul. 20", "July 20, 2027": US order, en only);
 * - a date without a year is the next one on or after the meeting day (29/02 the next leap day);
 *   a date with a year is taken as said, even when it has passed, and any other day before the
 *   meeting ("ontem") gives null;
 * - a day of the month alone ("dia 15", "the 15th") is the next such date on or after the meeting
 *   day, skipping months too short to have it;
 * - the whole phrase must be understood: a month alone ("em dezembro"), two dates, or words left
 *   over that are not connectives ("até", "by", "para el", a time of day) give null.
 */
export function resolveDueDate(said: string | null, meeting: { startTime: Date; timeZone: string }): string | null {
  if (!said?.trim()) return null;
  const today = localDay(meeting.startTime, meeting.timeZone);
  const found = byOurRules(core(normalise(said)), today) ?? byChrono(said, today);
  return found && isRealDay(found) ? isoOf(found) : null;
}

/** Leading connectives of a deadline: "até o", "by the", "para el", "antes del", "em", "in"… */
const leadingWords = new Set(
  ['ate', 'by', 'before', 'until', 'till', 'para', 'antes', 'de', 'del', 'hasta', 'no', 'na', 'o', 'a', 'el', 'la', 'the', 'on', 'due', 'prazo', 'em', 'en', 'in', 'within', 'daqui', 'dentro', 'later', 'than'],
);

/** The phrase without its leading connectives and punctuation: "até o fim do mês." → "fim do mes". */
function core(text: string): string {
  const words = text.replace(/[.,;:!?]+/g, ' ').trim().split(/\s+/);
  while (words.length > 1 && leadingWords.has(words[0]!)) words.shift();
  return words.join(' ');
}

const numberWords: Record<string, number> = {
  um: 1, uma: 1, un: 1, uno: 1, one: 1,
  dois: 2, duas: 2, dos: 2, two: 2, tres: 3, three: 3, quatro: 4, cuatro: 4, four: 4, cinco: 5, five: 5,
  seis: 6, six: 6, sete: 7, siete: 7, seven: 7, oito: 8, ocho: 8, eight: 8, nove: 9, nueve: 9, nine: 9,
  dez: 10, diez: 10, ten: 10, quinze: 15, quince: 15, fifteen: 15, vinte: 20, veinte: 20, twenty: 20, trinta: 30, treinta: 30, thirty: 30,
};

const endWords = String.raw`(?:end|fim|final|fin|finales|finais)\s+(?:(?:of|do|de|del|da|de\s+la)(?:\s+(?:the|this|este|esta))?|deste|desta|desse|dessa)`;
const nextWeek = String.raw`(?:next\s+week|proxima\s+semana|semana\s+que\s+(?:vem|viene))`;
const nextMonth = String.raw`(?:next\s+month|proximo\s+mes|mes\s+que\s+(?:vem|viene))`;

/** English month names and their abbreviations ("Sept", "Jul."), 1–12. */
const englishMonths: Record<string, number> = {
  january: 1, jan: 1, february: 2, feb: 2, march: 3, mar: 3, april: 4, apr: 4, may: 5, june: 6, jun: 6,
  july: 7, jul: 7, august: 8, aug: 8, september: 9, sep: 9, sept: 9, october: 10, oct: 10, november: 11, nov: 11, december: 12, dec: 12,
};

const rules: { pattern: RegExp; resolve: (match: RegExpMatchArray, today: CalendarDay) => CalendarDay | null }[] = [
  { pattern: new RegExp(String.raw`^(?:${endWords}\s+)?${nextWeek}$`), resolve: (_, today) => addDays(mondayOf(today), 7 + FRIDAY - 1) },
  { pattern: new RegExp(String.raw`^${endWords}\s+(?:week|semana)$`), resolve: (_, today) => addDays(today, (FRIDAY - weekdayOf(today) + 7) % 7) },
  { pattern: new RegExp(String.raw`^${endWords}\s+(?:month|mes)$|^month[\s-]end$`), resolve: (_, today) => lastDayOf(today.year, today.month) },
  { pattern: new RegExp(String.raw`^${endWords}\s+${nextMonth}$`), resolve: (_, today) => lastDayOf(...monthAfter(today.year, today.month)) },
  { pattern: /^(?:depois de amanha|pasado manana|(?:the )?day after tomorrow)$/, resolve: (_, today) => addDays(today, 2) },
  {
    pattern: /^(\d{1,3}|[a-z]+) (dias?|days?|semanas?|weeks?|mes|meses|months?)$/,
    resolve: ([, count, unit], today) => {
      const n = /^\d+$/.test(count!) ? Number(count) : numberWords[count!];
      if (n === undefined) return null;
      if (/^(?:dia|day)/.test(unit!)) return addDays(today, n);
      if (/^(?:semana|week)/.test(unit!)) return addDays(today, 7 * n);
      return addMonths(today, n);
    },
  },
  // chrono rejects 29/02 in a year that lacks it, and reads 12/15 month first.
  {
    pattern: /^(\d{1,2})\/(\d{1,2})(?:\/(\d{4}))?$/,
    resolve: ([, day, month, year], today) => (year ? { year: Number(year), month: Number(month), day: Number(day) } : nextDayAndMonth(Number(day), Number(month), today)),
  },
  // chrono's en-GB reads "July 20" as July of the year 20, with no day.
  {
    pattern: new RegExp(String.raw`^(${Object.keys(englishMonths).join('|')}) (\d{1,2})(?:st|nd|rd|th)?(?: (\d{4}))?$`),
    resolve: ([, month, day, year], today) =>
      year ? { year: Number(year), month: englishMonths[month!]!, day: Number(day) } : nextDayAndMonth(Number(day), englishMonths[month!]!, today),
  },
  { pattern: /^(?:dia (\d{1,2})|(\d{1,2})(?:st|nd|rd|th))$/, resolve: ([, a, b], today) => nextDayOfMonth(Number(a ?? b), today) },
];

function byOurRules(text: string, today: CalendarDay): CalendarDay | null | undefined {
  for (const { pattern, resolve } of rules) {
    const match = text.match(pattern);
    if (match) return resolve(match, today);
  }
  return undefined;
}

type DateParser = Pick<typeof Chrono.pt, 'parse'>;
let parsers: DateParser[] | undefined;
/**
 * chrono's parsers, loaded on first use: loading its every locale takes over a second, which each
 * process would otherwise pay at start, API included, though only a generation resolves deadlines.
 */
function dateParsers(): DateParser[] {
  if (!parsers) {
    const chrono = createRequire(import.meta.url)('chrono-node') as typeof Chrono;
    parsers = [chrono.pt, chrono.es, chrono.en.GB];
  }
  return parsers;
}

/** Words chrono may leave around a date it read: connectives, "next"/"this" before a weekday, "dia" before a date. */
const fillerWords = new Set([...leadingWords, 'dia', 'day', 'next', 'proxima', 'proximo', 'this', 'esta', 'este', 'nesta', 'neste', 'essa', 'esse', 'coming', 'que', 'vem', 'viene', 'of']);
/** A time of day after the date ("sexta às 17h", "by Friday at 5pm"): the deadline is still that day. */
const timeOfDay = /\b(?:as|a las|at)\s+\d{1,2}(?:(?::|h)\d{2})?\s*(?:h|hs|horas|am|pm)?(?=\s|$)|\b\d{1,2}(?::\d{2})?\s*(?:h|hs|am|pm)\b/g;

/**
 * What chrono reads, when one parser's single result covers the whole phrase and every parser that
 * does agrees. chrono works in the process's zone, so the reference is local noon there of the
 * meeting's day, and only its known values are used: the weekday and year rules are ours.
 */
function byChrono(said: string, today: CalendarDay): CalendarDay | null {
  const reference = new Date(today.year, today.month - 1, today.day, 12);
  const days = new Set<string>();
  for (const parser of dateParsers()) {
    const results = parser.parse(said, reference, { forwardDate: true });
    const [result] = results;
    if (results.length !== 1 || !result) continue;
    const leftOver = normalise(said.slice(0, result.index) + ' ' + said.slice(result.index + result.text.length)).replace(timeOfDay, ' ');
    if (!leftOver.split(/[^\p{L}\p{N}]+/u).every((word) => word === '' || fillerWords.has(word))) continue;
    if (isPast(normalise(result.text)) || !isDayFirst(result)) continue;
    const day = dayOfComponents(result.start, today);
    // "ontem", "yesterday": a deadline before the meeting only when its year is said.
    if (day && (isoOf(day) >= isoOf(today) || /\d{4}/.test(result.text))) days.add(isoOf(day));
  }
  const [only] = days;
  return days.size === 1 && only ? parseIso(only) : null;
}

/** "last Friday", "sexta passada": chrono, told to look forward, would give the next one. */
function isPast(text: string): boolean {
  return /\b(?:last|previous|passad[ao]|pasad[ao]|anterior|ultim[ao])\b/.test(text);
}

/** Numbers are day first: chrono falls back to month first when the first one cannot be a month. */
function isDayFirst(result: Chrono.ParsedResult): boolean {
  const numeric = /^(\d{1,2})[/.-](\d{1,2})\b/.exec(result.text);
  return !numeric || Number(numeric[1]) === result.start.get('day');
}

function dayOfComponents(start: Chrono.ParsedComponents, today: CalendarDay): CalendarDay | null {
  const day = start.isCertain('day') ? start.get('day') : null;
  const month = start.isCertain('month') ? start.get('month') : null;
  if (day !== null && month !== null) {
    if (start.isCertain('year')) return { year: start.get('year')!, month, day };
    return nextDayAndMonth(day, month, today);
  }
  const weekday = start.isCertain('weekday') ? start.get('weekday') : null;
  if (weekday !== null) return addDays(today, ((weekday - weekdayOf(today) + 6) % 7) + 1);
  return null;
}

/** The next day/month on or after today: this year, or the next year that has it (29/02). */
function nextDayAndMonth(day: number, month: number, today: CalendarDay): CalendarDay | null {
  const onOrAfter = month > today.month || (month === today.month && day >= today.day);
  for (let year = onOrAfter ? today.year : today.year + 1; year <= today.year + 8; year += 1) {
    if (isRealDay({ year, month, day })) return { year, month, day };
  }
  return null;
}

function nextDayOfMonth(day: number, today: CalendarDay): CalendarDay | null {
  if (day < 1 || day > 31) return null;
  let [year, month] = day >= today.day ? [today.year, today.month] : monthAfter(today.year, today.month);
  for (let tries = 0; tries < 12; tries += 1, [year, month] = monthAfter(year, month)) {
    if (isRealDay({ year, month, day })) return { year, month, day };
  }
  return null;
}

function localDay(instant: Date, timeZone: string): CalendarDay {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric' }).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  return { year: part('year'), month: part('month'), day: part('day') };
}

function fromUtc(date: Date): CalendarDay {
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

function addDays({ year, month, day }: CalendarDay, days: number): CalendarDay {
  return fromUtc(new Date(Date.UTC(year, month - 1, day + days)));
}

function addMonths({ year, month, day }: CalendarDay, months: number): CalendarDay {
  const target = new Date(Date.UTC(year, month - 1 + months, 1));
  const last = lastDayOf(target.getUTCFullYear(), target.getUTCMonth() + 1);
  return { ...last, day: Math.min(day, last.day) };
}

/** 0 Sunday … 6 Saturday, as chrono's weekdays. */
function weekdayOf({ year, month, day }: CalendarDay): number {
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay();
}

function mondayOf(day: CalendarDay): CalendarDay {
  return addDays(day, -((weekdayOf(day) + 6) % 7));
}

function lastDayOf(year: number, month: number): CalendarDay {
  return fromUtc(new Date(Date.UTC(year, month, 0)));
}

function monthAfter(year: number, month: number): [number, number] {
  return month === 12 ? [year + 1, 1] : [year, month + 1];
}

function isRealDay({ year, month, day }: CalendarDay): boolean {
  const back = fromUtc(new Date(Date.UTC(year, month - 1, day)));
  return back.year === year && back.month === month && back.day === day && year >= 1000 && year <= 9999;
}

function isoOf({ year, month, day }: CalendarDay): string {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function parseIso(iso: string): CalendarDay {
  const [year, month, day] = iso.split('-').map(Number);
  return { year: year!, month: month!, day: day! };
}
