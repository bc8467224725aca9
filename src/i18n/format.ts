import { catalogOf, type Language } from './languages.js';

/** A date and time as people write them in `language`, in `timeZone` ("9 de março de 2027", "23:30 BRT"). */
export function formatDateAndTime(instant: Date, language: Language, timeZone: string): { date: string; time: string } {
  const { locale } = catalogOf(language);
  const date = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone }).format(instant);
  const time = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', timeZone, timeZoneName: 'short' }).format(instant);
  return { date, time };
}
