import { describe, expect, it } from 'vitest';
import { matchPerson, samePerson } from './minutes.people.js';

interface Person {
  id: number;
  name: string | null;
  email: string | null;
}

const person = (id: number, name: string | null, email: string | null = null): Person => ({ id, name, email });

const anaPaula = person(1, 'Ana Paula de Souza', 'ana.souza@example.com');
const joao = person(2, 'João Antônio Pereira', 'jap@example.com');
const mariana = person(3, 'Mariana Ana Costa', null);
const beatriz = person(4, null, 'beatriz.lima@example.com');
const people = [anaPaula, joao, mariana, beatriz];

describe('matchPerson', () => {
  it.each([
    ['Ana Paula de Souza', anaPaula],
    ['ana paula de souza', anaPaula],
    ['  ANA   PAULA  DE SOUZA ', anaPaula],
    ['Joao Antonio Pereira', joao],
    ['joão antônio pereira', joao],
    ['Dr. João Antônio Pereira', joao],
    ['Sra. Ana Paula', anaPaula],
  ])('the same name after normalising: %s', (said, expected) => {
    expect(matchPerson(said, people)).toBe(expected);
  });

  it.each([
    ['ana.souza@example.com', anaPaula],
    ['ANA.SOUZA@EXAMPLE.COM', anaPaula],
    ['beatriz.lima@example.com', beatriz],
    ['jap', joao],
    ['beatriz.lima', beatriz],
    ['Beatriz Lima', beatriz],
  ])('an e-mail or its local part: %s', (said, expected) => {
    expect(matchPerson(said, people)).toBe(expected);
  });

  it.each([
    ['Ana Souza', anaPaula],
    ['Souza', anaPaula],
    ['Paula', anaPaula],
    ['Souza, Ana', anaPaula],
    ['João', joao],
    ['joao pereira', joao],
    ['Pereira', joao],
    ['Mariana', mariana],
    ['Costa', mariana],
  ])('a unique person whose name holds the said words: %s', (said, expected) => {
    expect(matchPerson(said, people)).toBe(expected);
  });

  it('a single word names the one whose first name it is, when several names hold it', () => {
    expect(matchPerson('Ana', people)).toBe(anaPaula);
    expect(matchPerson('Ana', [mariana, person(5, 'Ana Lima')])?.id).toBe(5);
  });

  it('is null when two people fit', () => {
    const anaLima = person(5, 'Ana Lima', 'ana.lima@example.com');
    expect(matchPerson('Ana', [anaPaula, anaLima, mariana])).toBeNull();
    expect(matchPerson('Ana', [mariana, person(6, 'Luísa Ana Reis')])).toBeNull();
    expect(matchPerson('João Silva', [person(7, 'João Silva Santos'), person(8, 'João Carlos Silva')])).toBeNull();
    expect(matchPerson('Ana Souza', [person(9, 'Ana Souza', 'a@example.com'), person(10, 'Ana Souza', 'b@example.com')])).toBeNull();
  });

  it('the exact name wins over names that merely hold the words', () => {
    const anaSouza = person(11, 'Ana Souza');
    expect(matchPerson('Ana Souza', [anaPaula, anaSouza])).toBe(anaSouza);
  });

  it('a name is not guessed from an e-mail when a name fits several', () => {
    const ana = person(12, 'Ana Lima', 'ana@example.com');
    expect(matchPerson('Lima', [ana, person(13, 'Carla Lima')])).toBeNull();
  });

  it('one person listed twice counts once, the entry with the e-mail kept', () => {
    const asParticipant = person(14, 'Ana Paula de Souza', null);
    expect(matchPerson('Ana', [asParticipant, anaPaula])).toBe(anaPaula);
    expect(matchPerson('ana paula de souza', [asParticipant, anaPaula])).toBe(anaPaula);
  });

  it.each([[null], [''], ['   '], ['.'], ['Carlos'], ['Ana Carla'], ['nobody@example.com']])('nobody for %s', (said) => {
    expect(matchPerson(said, people)).toBeNull();
  });

  it('nobody among nobody', () => {
    expect(matchPerson('Ana', [])).toBeNull();
  });
});

describe('samePerson', () => {
  it('by e-mail, case aside, whatever the names', () => {
    expect(samePerson({ name: 'Ana', email: 'Ana@Example.com' }, { name: 'Ana Paula', email: 'ana@example.com' })).toBe(true);
    expect(samePerson({ name: 'Ana', email: 'ana@example.com' }, { name: 'Ana', email: 'ana2@example.com' })).toBe(false);
  });

  it('by normalised name when either has no e-mail', () => {
    expect(samePerson({ name: 'José Álvares', email: null }, { name: 'jose alvares', email: 'ja@example.com' })).toBe(true);
    expect(samePerson({ name: 'José', email: null }, { name: 'José Álvares', email: null })).toBe(false);
    expect(samePerson({ name: null, email: null }, { name: null, email: null })).toBe(false);
  });
});
