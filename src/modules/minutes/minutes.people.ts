import { normalise } from './minutes.merge.js';

interface Named {
  name: string | null;
  email: string | null;
}

/**
 * Who a name said in the meeting refers to among the participants and members, or null when
 * nobody or more than one person fits (never a guess). Tried in order, the first rule that finds
 * anyone decides:
 * 1. the name, equal after normalising case, accents, spaces and a title ("Dr.", "Sra.");
 * 2. an e-mail address said: the person with that e-mail, case aside;
 * 3. a name whose words hold all the said words, in any order ("Ana", "Souza" or "Ana Souza" for
 *    Ana Paula de Souza; "de", "da", "dos"… are ignored);
 * 4. when 3 finds several for a single word, the one whose first name it is ("Ana" for Ana Lima
 *    over Mariana Ana Costa);
 * 5. when no name fits, an e-mail's local part ("asouza", or "ana souza" for ana.souza@…).
 * Two people found by a rule make it ambiguous: null, without trying the weaker rules (except
 * 3 → 4). One person listed twice (as participant and member) counts once, the entry with an
 * e-mail kept: see samePerson.
 */
export function matchPerson<Person extends Named>(said: string | null, people: readonly Person[]): Person | null {
  const words = wordsOf(said);
  if (!said || words.length === 0) return null;
  const text = words.join(' ');
  const onlyOne = (found: Person[]) => (found.length === 1 ? found[0]! : null);

  const byName = distinct(people.filter((person) => wordsOf(person.name).join(' ') === text));
  if (byName.length > 0) return onlyOne(byName);
  if (said.includes('@')) return onlyOne(distinct(people.filter((person) => person.email?.trim().toLowerCase() === said.trim().toLowerCase())));
  const containing = distinct(people.filter((person) => words.every((word) => wordsOf(person.name).includes(word))));
  if (containing.length === 1) return containing[0]!;
  if (containing.length > 1) return words.length === 1 ? onlyOne(containing.filter((person) => wordsOf(person.name)[0] === text)) : null;
  return onlyOne(distinct(people.filter((person) => isLocalPartOf(said, person.email))));
}

/** The same person: equal e-mails (case aside), or, when either has none, equal normalised names. */
export function samePerson(a: Named, b: Named): boolean {
  if (a.email && b.email) return a.email.trim().toLowerCase() === b.email.trim().toLowerCase();
  const name = wordsOf(a.name).join(' ');
  return name !== '' && name === wordsOf(b.name).join(' ');
}

const titles = new Set(['sr', 'sra', 'srta', 'dr', 'dra', 'prof', 'profa', 'professor', 'professora', 'mr', 'mrs', 'ms', 'miss', 'dona', 'don', 'dom']);
const particles = new Set(['de', 'da', 'do', 'das', 'dos', 'e', 'del', 'y']);

/** "Dra. Ana Paula de Souza" → ["ana", "paula", "souza"]. */
function wordsOf(name: string | null): string[] {
  const words = normalise(name ?? '')
    .split(/[^\p{L}\p{N}'-]+/u)
    .filter((word) => word !== '' && !particles.has(word));
  while (words.length > 1 && titles.has(words[0]!)) words.shift();
  return words;
}

/** "ana.souza", or "Ana Souza", for ana.souza@example.com. */
function isLocalPartOf(said: string, email: string | null): boolean {
  const local = email?.trim().toLowerCase().split('@')[0];
  if (!local) return false;
  const asSaid = normalise(said);
  return asSaid === local || asSaid === local.replace(/[._-]+/g, ' ');
}

/** One entry per person, preferring the one with an e-mail. */
function distinct<Person extends Named>(people: Person[]): Person[] {
  const kept: Person[] = [];
  for (const person of people) {
    const index = kept.findIndex((other) => samePerson(person, other));
    if (index === -1) kept.push(person);
    else if (!kept[index]!.email && person.email) kept[index] = person;
  }
  return kept;
}
