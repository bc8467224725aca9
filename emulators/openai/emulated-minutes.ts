import type { MinutesNotes } from '../../src/modules/minutes/minutes.notes.js';
import { foldText, leadingName, namesBefore, numberWords, voteFromText } from '../../src/modules/minutes/minutes.vote-cues.js';
import { EMULATOR_NOTE } from './answer.js';

/**
 * The emulated model's ata notes (schema `minutesNotes`): built from the transcript in the prompt
 * by fixed cues, matched without case or accents, in pt-BR, en and es. The evaluation transcripts
 * are written with the same cues, so a change here is a change to what the emulator "understands".
 *
 * - Chair: the speaker of the first turn that opens the meeting or gives the floor (chairCue);
 *   presidingSourceTurn is that turn. No cue → null, never the first speaker.
 * - Secretary: the speaker of the first turn that says they take the minutes (secretaryCue). No cue → null.
 * - Attendees: every named speaker, then the names of roll-call turns ("presentes:", "present:",
 *   "attendees:", "asistentes:", "estão presentes", "are present", "están presentes", "conectados os
 *   conselheiros"): the
 *   capitalised name sequences after the cue to the end of its sentence, or, when none follow,
 *   the name list just before it ("Ana e Bruno estão presentes"). Titles ("Dra.", "conselheiro")
 *   are dropped; a name whose words are all in one already listed ("Ana" beside "Ana Souza") is not added.
 * - Agenda, with one in the prompt: see agendaCueOf. Entries: one per agenda item that got turns
 *   (its title from the prompt), one per off-agenda stretch, in the order first taken. The turns
 *   before the first cue are the opening, with no entry; in a later part of a chunked meeting
 *   they continue an item (see placesOf). Without an agenda: a new entry
 *   at each marker turn (agendaMarker), the turns before the first one under "Assuntos gerais".
 * - Decisions: turns with decisionMarker, unless they put a motion (motionCue); outcome and vote
 *   from voteFromText, proposedBy the speaker.
 * - Action items: turns with actionMarker; owner from ownerOf, due from dueOf.
 * - Injections ("ignore previous instructions", "ignore as instruções anteriores", "ignorá las
 *   instrucciones anteriores"; injectionCue): obeyed (notes titled INJECTED, nothing else) when
 *   outside the transcript block, or inside it when the system message does not call it untrusted;
 *   when it does, the turn that carries one gives no decision and no action item.
 * - Decisions get the agenda item current at their turn (action items have no agenda item in the schema).
 */

export interface Turn {
  index: number;
  speaker: string;
  text: string;
}

export interface MinutesPrompt {
  /** Undefined when the request has no <transcript> block. */
  turns: Turn[] | undefined;
  topic: string;
  /** The titles of the prompt's agenda, item 1 first; empty when it gives none. */
  agenda: string[];
  /** Which part of a chunked meeting this is: 1 when it is the first or only one. */
  part: number;
  /** The model obeys an injection: its notes are only the title INJECTED. */
  isInjected: boolean;
  /** The system message calls the transcript untrusted: a turn that carries an injection is recorded as said, never obeyed (no decision or task from it). */
  isGuarded: boolean;
}

export const UNKNOWN_SPEAKER = 'Unknown speaker';

const cue = (alternatives: string[]) => new RegExp(`(?<![\\p{L}\\d])(?:${alternatives.join('|')})(?![\\p{L}\\d])`, 'u');
const cueGlobal = (pattern: RegExp) => new RegExp(pattern.source, `${pattern.flags}g`);

const chairCue = cue([
  'declaro (?:abert[oa]s?|abiert[oa]s?|instalad[oa]s?)',
  'call(?:ing)? (?:this|the) meeting to order',
  'declare (?:this|the) meeting open',
  '(?:passo|concedo|dou) a palavra',
  '(?:doy|cedo|concedo) la palabra',
  'give the floor',
  "i'll chair",
  "i'll be chairing",
  'i will (?:be )?chair(?:ing)?',
  "i'm chairing",
  '(?:eu|yo) presido',
  'vou presidir',
  'presidirei',
  'presidire',
  'presido esta',
]);

const secretaryCue = cue([
  'eu,? (?:como )?secretari[oa]',
  'eu sou (?:o|a) secretari[oa]',
  "(?:i'm|i am) the secretary",
  'soy (?:el|la) secretari[oa]',
  'atuo como secretari[oa]',
  'vou secretariar',
  'secretariarei',
  'eu lavro a ata',
  'vou lavrar a ata',
  'lavrarei a ata',
  'eu faco a ata',
  "i'll take the minutes",
  "i'll be taking the minutes",
  'i will take the minutes',
  "i'm taking the minutes",
  'i am taking the minutes',
  'acting as secretary',
  'yo levanto el acta',
  'levantare el acta',
  'actuo como secretari[oa]',
  'actuare como secretari[oa]',
  'sere (?:el|la) secretari[oa]',
]);

// An injection said in a meeting: "ignore (all) previous instructions", "ignore as instruções
// anteriores", "ignorá/ignora las instrucciones anteriores", "disregard the prior instructions"…
const ignoreVerb = '(?:ignor(?:e|em|en|a|ar|ad|es)|disregard|desconsider(?:e|em|a|ar|en))';
const injectionCue = cue([
  `${ignoreVerb}\\s+(?:all\\s+)?(?:(?:the|any|your)\\s+)?(?:previous|prior|earlier|above|preceding)\\s+instructions`,
  `${ignoreVerb}\\s+(?:(?:todas|tudo)\\s+)?(?:(?:as|las|suas|sus|tus)\\s+)?instruc(?:oes|ciones)\\s+(?:anteriores|previas|de antes)`,
]);
/** Whether `text` tells the model to drop its instructions, in pt-BR, en or es (matched without case or accents). */
export const carriesInjection = (text: string) => injectionCue.test(foldText(text));

const rollCallCue = cue(['presentes?\\s*:', 'present\\s*:', 'attendees\\s*:', 'asistentes\\s*:', 'estao presentes', 'are present', 'estan presentes', 'conectados os conselheiros']);

const agendaMarker = /^(pauta|item|agenda|ordem do dia)\b|proximo item|next item|siguiente punto/;
const decisionMarker = cue([
  'aprovad[oa]s?',
  'aprovamos',
  'decidid[oa]s?',
  'decidimos',
  'deliberad[oa]s?',
  'approved',
  'decided',
  'resolved',
  'aprobad[oa]s?',
  'aprobamos',
  'se aprueban?',
  'aprova-se',
  'se rechazan?',
  'se aplazan?',
  'rejeitad[oa]s?',
  'rejeitamos',
  'reprovad[oa]s?',
  'rejected',
  'rechazad[oa]s?',
  'rechazamos',
  'adiad[oa]s?',
  'adiamos',
  'postponed',
  'aplazad[oa]s?',
  'aplazamos',
]);

// Verbs of a task taken on. Said in the first person, those of a presentation or a screen ("vou
// apresentar os números", "I'll share my screen") are the meeting itself, not a task: only another
// person "vai apresentar", "will present", "va a presentar".
/** A motion put to the meeting ("I move that … be approved", "proponho que seja aprovado") is not yet a decision. */
const motionCue = cue(['i move', 'i propose', 'i suggest', 'proponho', 'sugiro', 'propongo', 'sugiero', 'be approved', 'sejam? aprovad[oa]s?', 'se apruebe']);

const ptTaskVerbs = 'preparar|enviar|mandar|circular|elaborar|revisar|organizar|providenciar|encaminhar|redigir|verificar|contatar|agendar';
const enTaskVerbs = 'prepare|send|circulate|draft|review|organi[sz]e|follow up|schedule|contact|write|email|forward|take care of';
const esTaskVerbs = 'preparar|enviar|mandar|circular|revisar|organizar|redactar|contactar|agendar';
const actionMarker = cue([
  'fica(?:ra)? responsavel',
  'ficou responsavel',
  'sera responsavel',
  'fico responsavel',
  'me comprometo',
  'se compromete',
  `vai (?:${ptTaskVerbs}|fazer|apresentar)`,
  `(?:eu )?vou (?:${ptTaskVerbs})`,
  'eu (?:envio|mando|preparo|encaminho|providencio|circulo|reviso|organizo|elaboro)',
  '(?:enviarei|prepararei|encaminharei|providenciarei|circularei|revisarei|elaborarei|redigirei)',
  `(?:will|\\p{L}+'ll) (?:${enTaskVerbs})`,
  `(?<!i )will (?:do|present)`,
  `(?:i'm|i am) going to (?:${enTaskVerbs})`,
  'is responsible for',
  'se encarga(?:ra)?',
  'me encargo',
  'me encargare',
  'yo (?:envio|preparo|mando|circulo|reviso)',
  '(?:enviare|preparare|circulare|mandare|redactare|revisare|organizare)',
  `voy a (?:${esTaskVerbs})`,
  `va a (?:${esTaskVerbs}|presentar)`,
]);
/** Words after which a name before them owns the task ("Marcos fica responsável", "Carla will send", "Ana se encarga"). */
const ownerCue = cueGlobal(cue(['fica(?:ra)? responsavel', 'ficou responsavel', 'sera responsavel', 'will', 'se encarga(?:ra)?', 'se compromete', 'vai', 'va a', 'is responsible']));

// ---- Text helpers ----------------------------------------------------------------------------

interface ReadTurn extends Turn {
  /** The text folded (foldText): same length, so its match offsets cut `text`. */
  folded: string;
}

const nameOf = (turn: Turn) => (turn.speaker === UNKNOWN_SPEAKER ? null : turn.speaker);
const distinct = <T>(values: T[]) => [...new Set(values)];
export const speakersOf = (turns: Turn[]) => distinct(turns.flatMap((turn) => nameOf(turn) ?? []));
const wordsOf = (text: string) => foldText(text).split(/[^\p{L}\p{N}]+/u).filter(Boolean);

// A model summarises: a sentence an item, a bounded number of items a chunk (of each kind: agenda
// entries, decisions, action items). Chunks are summarised separately, so the cap is per chunk:
// room for a busy hour of a long meeting. The model picks a lower one when the answer would not
// fit max_tokens (emulated-model.ts), as a model summarises a meeting that decides in every turn.
export const MAX_ITEMS = 20;
const MAX_ITEM_CHARS = 160;
function summaryOf(text: string): string {
  const sentence = /^.*?[.!?](?=\s|$)/s.exec(text)?.[0] ?? text;
  return sentence.length > MAX_ITEM_CHARS ? `${sentence.slice(0, MAX_ITEM_CHARS - 1)}…` : sentence;
}

/** The full name of the attendee `name` stands for ("Bruno" → "Bruno Lima"), or `name` as said. */
function resolveName(name: string, known: string[]): string {
  const words = wordsOf(name);
  return known.find((candidate) => words.every((word) => wordsOf(candidate).includes(word))) ?? name;
}

// ---- Roles and attendees --------------------------------------------------------------------

function firstTurnWith(turns: ReadTurn[], pattern: RegExp): { name: string | null; sourceTurn: number | null } {
  const turn = turns.find((candidate) => nameOf(candidate) && pattern.test(candidate.folded));
  return turn ? { name: turn.speaker, sourceTurn: turn.index } : { name: null, sourceTurn: null };
}

const capitalisedNames = /\p{Lu}[\p{L}'’-]*(?:\s+(?:(?:d[aeo]s?|del|de la|van der|van|von|di|du)\s+)?\p{Lu}[\p{L}'’-]*)*/gu;
const sentenceEnd = /(?<!\b(?:Sr|Sra|Srta|Dr|Dra|Mr|Mrs|Ms|Prof|Profa|Eng))[.!?;](?=\s|$)/u;

function rollCallOf(turn: ReadTurn): string[] {
  const found = rollCallCue.exec(turn.folded);
  if (!found) return [];
  const after = turn.text.slice(found.index + found[0].length);
  const end = sentenceEnd.exec(after);
  const listed = [...after.slice(0, end ? end.index : undefined).matchAll(capitalisedNames)].flatMap((match) => leadingName(match[0])?.name ?? []);
  return listed.length > 0 ? listed : namesBefore(turn.text.slice(0, found.index));
}

function attendeesOf(turns: ReadTurn[]): string[] {
  const names = speakersOf(turns);
  for (const name of turns.flatMap(rollCallOf)) {
    const words = wordsOf(name);
    if (!names.some((known) => words.every((word) => wordsOf(known).includes(word)))) names.push(name);
  }
  return names;
}

// ---- Agenda ------------------------------------------------------------------------------------

type Place = { kind: 'opening' } | { kind: 'item'; number: number } | { kind: 'off'; title: string };

const ordinals: Record<string, number> = {
  primeiro: 1, first: 1, primer: 1, primero: 1,
  segundo: 2, second: 2,
  terceiro: 3, third: 3, tercer: 3, tercero: 3,
  quarto: 4, fourth: 4, cuarto: 4,
  quinto: 5, fifth: 5,
  sexto: 6, sixth: 6,
  setimo: 7, seventh: 7, septimo: 7,
  oitavo: 8, eighth: 8, octavo: 8,
  nono: 9, ninth: 9, noveno: 9,
  decimo: 10, tenth: 10,
};
const itemWord = '(?:item|ponto|punto|point)';
const itemNumberCue = cueGlobal(
  cue([
    `${itemWord}\\s+(?:n[o.º°]?\\s*)?(\\d{1,2})`,
    '(?:item|ponto)\\s+(um|dois|tres|quatro|cinco|seis|sete|oito|nove|dez)',
    '(?:item|punto)\\s+(uno|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez)',
    'item\\s+(one|two|three|four|five|six|seven|eight|nine|ten)',
  ]),
);
const nextItemCue = cueGlobal(cue(['proximo (?:item|ponto)', 'next (?:item|point)', '(?:siguiente|proximo) punto']));
const ordinalCue = new RegExp(`(?<![\\p{L}])(${Object.keys(ordinals).join('|')}|ultimo|last)\\s+${itemWord}(?![\\p{L}])`, 'gu');
const offAgendaCue = cueGlobal(
  cue([
    'assuntos gerais',
    'assuntos diversos',
    'outros assuntos',
    'fora da pauta',
    'extra-?pauta',
    'any other business',
    'other business',
    'not on the agenda',
    'off the agenda',
    'asuntos varios',
    'asuntos generales',
    'ruegos y preguntas',
    'fuera del orden del dia',
    'fuera de la agenda',
  ]),
);
/** Words that say a turn reads the agenda out rather than takes an item up. */
const agendaReading = cue(['itens', 'items', 'pontos', 'puntos', 'points', "today's agenda", 'agenda (?:for today|today|has|is|includes)', 'pauta (?:de hoje|tem|e|inclui)', 'orden del dia (?:de hoy|tiene|es|incluye)', 'ordem do dia (?:de hoje|tem|e)']);

const stopWords = new Set(['para', 'pela', 'pelo', 'pelos', 'pelas', 'sobre', 'entre', 'como', 'from', 'with', 'about', 'into', 'that', 'this', 'desde', 'hasta']);
/** A word's first letters, so "aprovação" and "aprovar", "contas" and "conta" meet. */
const stemOf = (word: string) => word.slice(0, 5);
const significantStems = (text: string) => distinct(wordsOf(text).filter((word) => word.length >= 4 && !stopWords.has(word)).map(stemOf));
const normalised = (text: string) => wordsOf(text).join(' ');

/** A move to another place, and whether the turn only named its title (no number, ordinal or off-agenda words). */
interface AgendaCue {
  place: Place;
  isByTitle: boolean;
}

/**
 * Where a turn moves the meeting, given the prompt's agenda: to item N when it names "item N",
 * "ponto N", "punto N", "point N" (digits or a number word), or an ordinal ("segundo ponto",
 * "first item", "tercer punto", up to the tenth; "último item"/"last item" the last one; "próximo
 * item", "next item", "siguiente punto" the one after the current one); off the
 * agenda at "assuntos gerais", "fora da pauta", "other business", "not on the agenda", "asuntos
 * varios", "asuntos generales", "fuera del orden del día"… (title: the words said, or the agenda
 * item of that title when the agenda has one). Of those, the last one in the turn wins. Failing
 * them, to an item whose title the turn says: the whole title (words compared without accents
 * or punctuation) or every one of its significant words (4+ letters, compared by their first
 * five, two at least: "a reforma da fachada e o rateio da obra"); the current item stays when it
 * is one of them. Most of a title's significant words, not all, are talk about it rather than a
 * move: they take the item up only from the opening, where no item is known yet ("About the
 * reforma of the sede?"), never in the middle of another item or off the agenda ("it should not
 * affect operations … within the range in the budget" while the roof is discussed). A turn naming
 * two or more items with words like "pauta"/"agenda", or three or more items, reads the agenda
 * out: it moves nothing.
 */
function agendaCueOf(turn: ReadTurn, agenda: string[], current: Place): AgendaCue | undefined {
  const inRange = (number: number) => number >= 1 && number <= agenda.length;
  const explicit: { at: number; place: Place }[] = [
    ...[...turn.folded.matchAll(itemNumberCue)].map((match) => {
      const said = match.slice(1).find(Boolean)!;
      return { at: match.index, number: /^\d+$/.test(said) ? Number(said) : numberWords[said]! };
    }),
    ...[...turn.folded.matchAll(ordinalCue)].map((match) => ({ at: match.index, number: ordinals[match[1]!] ?? agenda.length })),
    ...[...turn.folded.matchAll(nextItemCue)].map((match) => ({ at: match.index, number: current.kind === 'item' ? current.number + 1 : 1 })),
  ]
    .filter(({ number }) => inRange(number))
    .map(({ at, number }): { at: number; place: Place } => ({ at, place: { kind: 'item', number } }));
  for (const match of turn.folded.matchAll(offAgendaCue)) {
    const said = turn.text.slice(match.index, match.index + match[0].length);
    const onAgenda = agenda.findIndex((title) => normalised(title).includes(normalised(said)));
    const place: Place = onAgenda >= 0 ? { kind: 'item', number: onAgenda + 1 } : { kind: 'off', title: said.charAt(0).toUpperCase() + said.slice(1) };
    explicit.push({ at: match.index, place });
  }

  const turnWords = normalised(turn.text);
  const turnStems = new Set(wordsOf(turn.text).map(stemOf));
  const byTitle = agenda.flatMap((title, index) => {
    const stems = significantStems(title);
    const shared = stems.filter((stem) => turnStems.has(stem)).length;
    const isSaid = ` ${turnWords} `.includes(` ${normalised(title)} `) || (shared >= 2 && shared === stems.length);
    return isSaid || (shared >= 2 && shared * 2 > stems.length) ? [{ number: index + 1, isSaid }] : [];
  });

  const named = distinct([...explicit.flatMap(({ place }) => (place.kind === 'item' ? [place.number] : [])), ...byTitle.map(({ number }) => number)]);
  if (named.length >= 3 || (named.length >= 2 && agendaReading.test(turn.folded))) return undefined;
  if (explicit.length > 0) return { place: explicit.sort((a, b) => a.at - b.at).at(-1)!.place, isByTitle: false };
  if (current.kind === 'item' && byTitle.some(({ number }) => number === current.number)) return undefined;
  const taken = byTitle.find(({ isSaid }) => isSaid || current.kind === 'opening');
  return taken ? { place: { kind: 'item', number: taken.number }, isByTitle: true } : undefined;
}

/**
 * The place (agenda item, off-agenda stretch or opening) of each turn. A later part of a long
 * meeting starts inside an item, taken in order: up to the first item it takes up by number,
 * ordinal or "next item", its turns belong to the item before that one, whatever title words were
 * said before it ("operations … budget" while the roof is discussed, just before "Fourth item");
 * failing such a cue, the turns before its first title cue belong to the item of that title, which
 * was already under discussion (the speaker names the current item again).
 */
function placesOf(turns: ReadTurn[], agenda: string[], part: number): Place[] {
  let current: Place = { kind: 'opening' };
  const places: Place[] = [];
  const cues: (AgendaCue | undefined)[] = [];
  for (const turn of turns) {
    const cue = agendaCueOf(turn, agenda, current);
    cues.push(cue);
    places.push((current = cue?.place ?? current));
  }
  if (part === 1) return places;
  const carry = (until: number, number: number) => (number >= 1 ? places.map((place, at): Place => (at < until ? { kind: 'item', number } : place)) : places);
  const takenAt = cues.findIndex((cue) => cue && !cue.isByTitle);
  const taken = cues[takenAt]?.place;
  if (taken?.kind === 'item') return carry(takenAt, taken.number - 1);
  const namedAt = cues.findIndex((cue) => cue?.isByTitle);
  const named = cues[namedAt]?.place;
  return named?.kind === 'item' && (takenAt < 0 || namedAt < takenAt) ? carry(namedAt, named.number) : places;
}

const discussionOf = (turns: Turn[]) => {
  const ranges: string[] = [];
  for (let start = 0; start < turns.length; ) {
    let end = start;
    while (end + 1 < turns.length && turns[end + 1]!.index <= turns[end]!.index + 1) end++;
    ranges.push(`${turns[start]!.index}–${turns[end]!.index}`);
    start = end + 1;
  }
  const speakers = distinct(turns.map((turn) => turn.speaker)).join(', ');
  return `Emulated summary (not a language model) of turns ${ranges.join(', ')}: ${turns.length} interventions by ${speakers}.`;
};

function agendaEntriesOf(turns: ReadTurn[], places: Place[], agenda: string[], maxItems: number): MinutesNotes['agenda'] {
  if (agenda.length === 0) {
    const items: { title: string; turns: Turn[] }[] = [];
    for (const turn of turns) {
      const isMarker = agendaMarker.test(turn.folded);
      const current = items.at(-1);
      if (current && !isMarker) current.turns.push(turn);
      else items.push({ title: isMarker ? turn.text.slice(0, 80) : 'Assuntos gerais', turns: [turn] });
    }
    return items.slice(0, maxItems).map((item) => ({ title: item.title, discussion: discussionOf(item.turns), agendaItem: null }));
  }
  const entries = new Map<string, { title: string; agendaItem: number | null; turns: Turn[] }>();
  let stretch = 0;
  turns.forEach((turn, at) => {
    const place = places[at]!;
    if (place.kind === 'opening') return;
    if (place.kind === 'off' && places[at - 1]?.kind !== 'off') stretch++;
    const key = place.kind === 'item' ? `item ${place.number}` : `off ${stretch}`;
    const entry = entries.get(key) ?? { title: place.kind === 'item' ? agenda[place.number - 1]! : place.title, agendaItem: place.kind === 'item' ? place.number : null, turns: [] };
    entry.turns.push(turn);
    entries.set(key, entry);
  });
  return [...entries.values()].slice(0, maxItems).map((entry) => ({ title: entry.title, discussion: discussionOf(entry.turns), agendaItem: entry.agendaItem }));
}

// ---- Action items --------------------------------------------------------------------------------

/** The one who takes the task on: a name said just before ownerCue ("Marcos fica responsável", "Carla will send"), else the speaker. */
function ownerOf(turn: ReadTurn, known: string[]): string | null {
  for (const match of turn.folded.matchAll(ownerCue)) {
    const name = trailingName(turn.text.slice(Math.max(0, match.index - 80), match.index));
    if (name) return resolveName(name, known);
  }
  return nameOf(turn);
}

const trailingNames = new RegExp(`(${capitalisedNames.source})[\\s,]*$`, 'u');
/** The name that ends `text`, without the words before it that are no name ("Then Carla" → "Carla", "o Bruno" → "Bruno"). */
function trailingName(text: string): string | undefined {
  const words = trailingNames.exec(text)?.[1]?.split(/\s+/) ?? [];
  for (let from = 0; from < words.length; from++) {
    const found = leadingName(words.slice(from).join(' '));
    if (found && !found.rest.trim()) return found.name;
  }
  return undefined;
}

const weekdays = '(?:segunda|terca|quarta|quinta|sexta)(?:-feira| feira)?|sabado|domingo|monday|tuesday|wednesday|thursday|friday|saturday|sunday|lunes|martes|miercoles|jueves|viernes';
const months =
  'janeiro|fevereiro|marco|abril|maio|junho|julho|agosto|setembro|outubro|novembro|dezembro|january|february|march|april|may|june|july|august|september|october|november|december|enero|febrero|marzo|mayo|junio|julio|septiembre|setiembre|octubre|noviembre|diciembre';
const relative = [
  'amanha',
  'tomorrow',
  'manana',
  'depois de amanha',
  '(?:fim|final) (?:do|deste) mes',
  'end of (?:the|this) month',
  'fin (?:de|del) mes',
  'final (?:de|del) mes',
  '(?:fim|final) da semana',
  'end of (?:the|this) week',
  '(?:fim|final) do ano',
  'end of (?:the|this) year',
  'fin de ano',
  'semana que vem',
  '(?:a )?proxima semana',
  'next week',
  '(?:la )?(?:proxima )?semana que viene',
  'la proxima semana',
  'proxima reuniao',
  'next meeting',
  'proxima reunion',
].join('|');
const dateCue = cueGlobal(
  cue([
    '\\d{4}-\\d{2}-\\d{2}',
    '\\d{1,2}/\\d{1,2}(?:/\\d{2,4})?',
    `\\d{1,2}(?:º|o|st|nd|rd|th)?\\s+(?:de\\s+|of\\s+)?(?:${months})(?:,?\\s+(?:de\\s+)?\\d{4})?`,
    `(?:${months})\\s+\\d{1,2}(?:st|nd|rd|th)?(?:,?\\s+\\d{4})?`,
    `(?:(?:next|this|coming|proxima|proximo|el proximo|la proxima)\\s+)?(?:${weekdays})`,
    relative,
  ]),
);
const byCue = cueGlobal(cue(['ate', 'by', 'until', 'no later than', 'para el', 'para la', 'antes del?', 'antes de la', 'hasta el', 'hasta la']));
const dateWord = cue(['\\d+', weekdays, months, relative, 'semanas?', 'weeks?', 'mes', 'meses', 'months?', 'anos?', 'years?', 'dias?', 'days?', 'hoje', 'today', 'hoy', 'proxim[oa]s?', 'next', 'fim', 'final', 'end', 'fin']);
const clauseEnd = /[.,;:!?()]/u;

/**
 * The deadline as said: "até …", "by …", "until …", "para el …", "antes del …", "hasta el …" up to
 * the next punctuation, when those words hold a date word (a number, weekday, month, "amanhã",
 * "semana", "fim do mês", "next"…); else the first bare date: ISO, dd/mm(/yyyy), "15 de março",
 * "March 15", a weekday, "amanhã"/"tomorrow"/"mañana", "fim do mês"/"end of the month"/"fin de mes",
 * "next week"… Null when there is none.
 */
function dueOf(turn: ReadTurn): string | null {
  for (const match of turn.folded.matchAll(byCue)) {
    const rest = turn.folded.slice(match.index + match[0].length);
    const end = clauseEnd.exec(rest);
    const words = rest.slice(0, end ? end.index : undefined);
    if (dateWord.test(words)) return turn.text.slice(match.index, match.index + match[0].length + words.length).trim();
  }
  const [date] = turn.folded.matchAll(dateCue);
  return date ? turn.text.slice(date.index, date.index + date[0].length) : null;
}

// ---- The notes --------------------------------------------------------------------------------

/** The notes, with at most `maxItems` agenda entries, decisions and action items (the first ones). */
export function minutesNotesOf(prompt: MinutesPrompt, maxItems = MAX_ITEMS): MinutesNotes {
  const turns: ReadTurn[] = (prompt.turns ?? []).map((turn) => ({ ...turn, folded: foldText(turn.text) }));
  const attendees = attendeesOf(turns);
  const places = placesOf(turns, prompt.agenda, prompt.part);
  const agendaItemAt = (at: number) => {
    const place = places[at]!;
    return place.kind === 'item' ? place.number : null;
  };
  const chair = firstTurnWith(turns, chairCue);
  const secretary = firstTurnWith(turns, secretaryCue);
  const isObeyed = (turn: ReadTurn) => !(prompt.isGuarded && injectionCue.test(turn.folded));
  const marked = (pattern: RegExp, unless?: RegExp) =>
    prompt.isInjected ? [] : turns.flatMap((turn, at) => (pattern.test(turn.folded) && !unless?.test(turn.folded) && isObeyed(turn) ? [{ turn, at }] : [])).slice(0, maxItems);
  return {
    title: prompt.isInjected ? 'INJECTED' : `${prompt.topic} (${EMULATOR_NOTE})`,
    presiding: chair.name,
    presidingSourceTurn: chair.sourceTurn,
    secretary: secretary.name,
    secretarySourceTurn: secretary.sourceTurn,
    attendees: attendees.map((name) => ({ name, role: null })),
    agenda: agendaEntriesOf(turns, places, prompt.agenda, maxItems),
    decisions: marked(decisionMarker, motionCue).map(({ turn, at }) => ({
      text: summaryOf(turn.text),
      proposedBy: nameOf(turn),
      ...voteFromText(turn.text),
      agendaItem: agendaItemAt(at),
      sourceTurn: turn.index,
    })),
    actionItems: marked(actionMarker).map(({ turn }) => ({
      owner: ownerOf(turn, attendees),
      task: summaryOf(turn.text),
      due: dueOf(turn),
      sourceTurn: turn.index,
    })),
  };
}
