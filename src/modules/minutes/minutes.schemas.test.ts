import { describe, expect, it } from 'vitest';
import { defaultLanguage, languages } from '../../i18n/languages.js';
import { generateMinutesBody, minutes } from './minutes.schemas.js';

describe('the language of the minutes in the API', () => {
  it('is asked for among exactly the languages that have a catalog, the default when not given', () => {
    expect(generateMinutesBody.shape.language.unwrap().options).toEqual(languages);
    for (const language of languages) expect(generateMinutesBody.parse({ language }).language).toBe(language);
    expect(generateMinutesBody.parse({}).language).toBe(defaultLanguage);
    expect(generateMinutesBody.safeParse({ language: 'fr' }).success).toBe(false);
  });

  it('is answered among exactly the languages that have a catalog', () => {
    expect(minutes.shape.language.options).toEqual(languages);
  });
});

describe('the time zone of the minutes in the API', () => {
  it('takes every IANA zone the runtime knows, aliases such as Asia/Kolkata included, and refuses others', () => {
    for (const timeZone of ['America/Sao_Paulo', 'Asia/Kolkata', 'Europe/Kyiv', 'America/Argentina/Buenos_Aires', 'UTC']) {
      expect(generateMinutesBody.safeParse({ timeZone }).success, timeZone).toBe(true);
    }
    for (const timeZone of ['Mars/Olympus_Mons', 'America/Sao Paulo', '']) expect(generateMinutesBody.safeParse({ timeZone }).success, timeZone).toBe(false);
  });
});
