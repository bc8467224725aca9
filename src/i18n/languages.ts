import type { Catalog } from './catalog.js';
import { en } from './en.js';
import { es } from './es.js';
import { ptBR } from './pt-BR.js';

/**
 * The languages the minutes can be written in, each with its catalog, in the order the API lists them.
 * Adding one: its catalog file beside this one, imported and listed here. The API's enum
 * (`languages`) and the `Language` type follow from this object.
 */
const catalogs = { 'pt-BR': ptBR, en, es } as const satisfies Record<string, Catalog>;

export type Language = keyof typeof catalogs;

export const languages = Object.keys(catalogs) as [Language, ...Language[]];

/** What the minutes are written in when the request does not say. */
export const defaultLanguage: Language = 'pt-BR';

export function isLanguage(value: string): value is Language {
  return Object.hasOwn(catalogs, value);
}

/**
 * A language read back from storage. Throws on one we have no catalog for: minutes must never
 * come out in another language's words without anyone noticing.
 */
export function parseLanguage(value: string): Language {
  if (!isLanguage(value)) throw new Error(`Unknown language "${value}": the catalogs are ${languages.join(', ')}`);
  return value;
}

export function catalogOf(language: Language): Catalog {
  return catalogs[language];
}
