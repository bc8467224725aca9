import type { DateParts } from './catalog.js';
import { catalogOf, type Language } from './languages.js';

/**
 * A date and time as people write them in `language`, in `timeZone` ("9 de março de 2027",
 * "23:30 GMT-3"). The zone is its offset in every language: Intl's short names differ by
 * language ("BRT" in pt-BR, "GMT-3" in en) and some are ambiguous.
 */
export function formatDateAndTime(instant: Date, language: Language, timeZone: string): { date: string; time: string } {
  const { locale } = catalogOf(language);
  return { date: formatterOf('date', locale, timeZone).format(instant), time: formatterOf('time', locale, timeZone).format(instant) };
}

const formatOptions = {
  date: { day: 'numeric', month: 'long', year: 'numeric' },
  time: { hour: '2-digit', minute: '2-digit', timeZoneName: 'shortOffset' },
} satisfies Record<string, Intl.DateTimeFormatOptions>;
const formatters = new Map<string, Intl.DateTimeFormat>();

/** A formatter made once per locale and zone (at most 3 locales × the zones in use): making one costs about as much as using it a hundred times. */
function formatterOf(kind: keyof typeof formatOptions, locale: string, timeZone: string): Intl.DateTimeFormat {
  const key = `${kind} ${locale} ${timeZone}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(locale, { ...formatOptions[kind], timeZone });
    formatters.set(key, formatter);
  }
  return formatter;
}

/** The day, the month's name in `language` and the year of `instant` in `timeZone`, for the formulas that word a date themselves. */
export function datePartsOf(instant: Date, language: Language, timeZone: string): DateParts {
  const { locale } = catalogOf(language);
  const parts = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone }).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((entry) => entry.type === type)?.value ?? '';
  return { day: Number(part('day')), month: part('month'), year: Number(part('year')) };
}

/** A calendar date (ISO yyyy-mm-dd, no time zone) as people write it in `language`: "1 de abril de 2027". */
export function formatCalendarDate(isoDate: string, language: Language): string {
  const { locale } = catalogOf(language);
  // Midnight UTC, formatted in UTC: the date stays the one written, whatever the server's zone.
  return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${isoDate}T00:00:00Z`));
}
