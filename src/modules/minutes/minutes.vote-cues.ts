import type { Vote, VoteOutcome } from './minutes.notes.js';

/**
 * A structured vote read from text by a few fixed cues, in pt-BR, en and es. Not a language
 * model: the OpenAI emulator uses it on a transcript turn, and stored notes written before votes
 * were data use it on their free-text vote. Cues are matched without case or accents. The cues:
 *
 * - outcome: "rejeitad", "rejected", "rechazad", "se rechaza", "reprovad", "não aprovad", "not
 *   approved", "no aprobad" → rejected; "adiad", "postponed", "aplazad", "se aplaza" → postponed;
 *   "aprovad", "aprovamos", "aprova-se", "approved", "aprobad", "se aprueba" → approved; a unanimous or consensus vote with no other outcome word →
 *   approved; otherwise null (not stated).
 * - method: counts (below) → counted; "unanim"/"unânim" → unanimous; "aclama"/"acclamation" →
 *   acclamation; "consens" → consensus; otherwise not_stated.
 * - counts: a number (digits, or a word from zero to ten) before "votos a favor", "votes in
 *   favour/favor", "a favor", "favoráveis"; before "contra", "against", "en contra"; before
 *   "abstenções", "abstenção", "abstentions", "abstenciones". "a abstenção", "an abstention", "the
 *   abstention", "una abstención", "la abstención" count one. Names never make a count: only numbers said do.
 * - names (see namesOfVote): the people named after "votou/voted/votó contra|against|a favor|in
 *   favour", "voto(s) contrário(s)/favorável(eis) de", "contra:", "against:", "a favor:", "in
 *   favour:", "abstenção/abstención/abstention de|do|da|of …", "abstenções:", "absteve-se",
 *   "se abstuvo", "abstained", or in parentheses after such a word ("1 contra (Paulo Azevedo)");
 *   and the people named just before "votou/voted/votó/votaram contra|a favor|in favour" or
 *   "se absteve", "se abstuvo", "abstained", "abstaining". Articles and titles before a name are
 *   skipped ("votou contra o acionista X", "abstenção do conselheiro X", "votaron a favor los
 *   accionistas X y Y", "the shareholder X").
 */
export function voteFromText(text: string): { outcome: VoteOutcome | null; vote: Vote } {
  const folded = foldText(text);
  const inFavour = countBefore(text, /(?:votos?\s+)?(?:a\s+favor|favor[áa]veis)|votes?\s+in\s+favou?r|in\s+favou?r/);
  const against = countBefore(text, /(?:votos?\s+|votes?\s+)?(?:en\s+)?(?:contra|against)/);
  const abstaining = countBefore(text, /absten[çc](?:ão|ões|oes|ao)|abstentions?|abstenci(?:ón|on|ones)/) ?? (/\b(?:a|uma|one|an|the|una|la)\s+(?:absten[çc][ãa]o|abstention|abstenci[óo]n)\b/i.test(text) ? 1 : null);
  const isCounted = inFavour !== null || against !== null || abstaining !== null;
  const method: Vote['method'] = isCounted
    ? 'counted'
    : /unanim/.test(folded)
      ? 'unanimous'
      : /aclama|acclamation/.test(folded)
        ? 'acclamation'
        : /consens/.test(folded)
          ? 'consensus'
          : 'not_stated';
  const outcome: VoteOutcome | null = /rejeitad|rejected|rechazad|se rechaza|reprovad|\bn(?:ao|o|ot) (?:foi |fue |was |been |se )?(?:aprovad|aprobad|approved)/.test(folded)
    ? 'rejected'
    : /adiad|postponed|aplazad|se aplaza/.test(folded)
      ? 'postponed'
      : /aprovad|aprovamos|aprova-se|approved|aprobad|se aprueba/.test(folded) || method === 'unanimous' || method === 'consensus' || method === 'acclamation'
        ? 'approved'
        : null;
  return { outcome, vote: { method, inFavour, against, abstaining, ...namesOfVote(text) } };
}

/** Numbers said as words, zero to ten, in pt-BR, en and es (the emulator reads agenda items with them too). */
export const numberWords: Record<string, number> = {
  zero: 0, nenhum: 0, nenhuma: 0, ninguno: 0, none: 0,
  um: 1, uma: 1, one: 1, uno: 1, una: 1, un: 1,
  dois: 2, duas: 2, two: 2, dos: 2,
  três: 3, tres: 3, three: 3,
  quatro: 4, four: 4, cuatro: 4,
  cinco: 5, five: 5,
  seis: 6, six: 6,
  sete: 7, seven: 7, siete: 7,
  oito: 8, eight: 8, ocho: 8,
  nove: 9, nine: 9, nueve: 9,
  dez: 10, ten: 10, diez: 10,
};
const numberPattern = `(\\d+|${Object.keys(numberWords).join('|')})`;

function countBefore(text: string, what: RegExp): number | null {
  const match = new RegExp(`(?<![\\p{L}\\d])${numberPattern}\\s+(?:${what.source})`, 'iu').exec(text);
  if (!match) return null;
  const word = match[1]!.toLowerCase();
  return /^\d+$/.test(word) ? Number(word) : (numberWords[word] ?? null);
}

// ---- Names -------------------------------------------------------------------------------------
// Shared with the OpenAI emulator, which reads roll calls and task owners the same way.

/**
 * Lower case without accents, the curly apostrophe made straight, one character for one: a match's
 * offsets in the folded text cut the same words from the text (NFC, as the prompt carries it).
 */
export function foldText(text: string): string {
  let folded = '';
  for (const char of text) {
    if (char.length !== 1) {
      folded += char;
      continue;
    }
    const base = char === '’' ? "'" : char.normalize('NFD')[0]!;
    const lower = base.toLowerCase();
    folded += lower.length === 1 ? lower : base;
  }
  return folded;
}

const NAME_WORD = "\\p{Lu}[\\p{L}'’-]*";
/** Capitalised words, with the particles of a surname between them ("Maria da Silva", "Juan de la Cruz"). */
const NAME = `${NAME_WORD}(?:\\s+(?:(?:d[aeo]s?|del|de la|van der|van|von|di|du)\\s+)?${NAME_WORD})*`;
const leadingNamePattern = new RegExp(`^${NAME}`, 'u');
const leadingWordPattern = /^(\p{L}+)\.?(?:\s+|$)/u;

/** Words before a name that are not part of it: articles, prepositions, titles ("Don" is a first name too: it stays). */
const beforeName = new Set(
  (
    'o a os as el la los las the do da dos das del de na no com con with por by of from ' +
    'sr sra srta dr dra mr mrs ms dona dna ' +
    'conselheiro conselheira conselheiros conselheiras consejero consejera consejeros consejeras councillor councillors councilor councilors ' +
    'member members membro membros miembro miembros diretor diretora director directora directors presidente president vice ' +
    'vereador vereadora senhor senhora senor senora prof profa professor professora eng engenheiro engenheira colega colegas ' +
    'socio socia socios socias associado associada associados associadas tesoureiro tesoureira tesorero tesorera treasurer secretario secretaria secretary ' +
    'acionista acionistas accionista accionistas shareholder shareholders stockholder stockholders partner partners ' +
    'condomino condomina condominos condominas propietario propietaria propietarios propietarias proprietario proprietaria proprietarios proprietarias ' +
    'owner owners homeowner homeowners resident residents morador moradora moradores moradoras vecino vecina vecinos vecinas ' +
    'diretores diretoras directores directoras trustee trustees vocal vocales'
  ).split(' '),
);
/** Capitalised words that start a sentence or a clause, never a name. */
const notNames = new Set(
  (
    'i eu yo we nos nosotros ele ela eles elas voce voces he she they you it el ella ellos ellas usted ustedes isso isto this that esto eso quem who ' +
    'aprovado aprovada approved aprobado aprobada rejeitado rejeitada rejected rechazado rechazada adiado adiada postponed aplazado aplazada ' +
    'entao then so ok okay bem bom well good great also now agora ahora sim yes si pues entonces e y and mas but pero todos todas all everyone everybody ambos both ' +
    'resultado result votacao vote votacion votos votes'
  ).split(' '),
);

/** A person's name at the start of `text`, after articles and titles ("o conselheiro", "la consejera"), and what follows it. */
export function leadingName(text: string): { name: string; rest: string } | undefined {
  let rest = text.trim();
  for (let word = leadingWordPattern.exec(rest); word && beforeName.has(foldText(word[1]!)); word = leadingWordPattern.exec(rest)) rest = rest.slice(word[0].length);
  const name = leadingNamePattern.exec(rest)?.[0];
  if (!name || notNames.has(foldText(name.split(/\s+/)[0]!))) return undefined;
  return { name, rest: rest.slice(name.length) };
}

const listSeparator = /\s*[,&]\s*|\s+(?:e|and|y)\s+/u;
/** A sentence ends at . ! ? ; or a parenthesis, not at the dot of "Dr." or "Sra.". */
const sentenceEnd = /(?<!\b(?:Sr|Sra|Srta|Dr|Dra|Mr|Mrs|Ms|Prof|Profa|Eng))[.!?;](?=\s|$)|[()]/u;

/** The names listed at the start of `text` ("o conselheiro Paulo Azevedo e Camila Rocha, …"), up to the first thing that is not one. */
export function namesAfter(text: string): string[] {
  if (/^\s*,/.test(text)) return []; // "voted against, Tom Lee abstained": a new clause, not a list
  const end = sentenceEnd.exec(text);
  const names: string[] = [];
  for (const piece of text.slice(0, end ? end.index : undefined).split(listSeparator)) {
    if (!piece.trim()) continue;
    const found = leadingName(piece);
    if (!found) break;
    names.push(found.name);
    if (found.rest.trim()) break;
  }
  return names;
}

/** The names listed at the end of `text` ("Na votação, Ana e Bruno"), back to the first thing that is not one. */
export function namesBefore(text: string): string[] {
  const boundaries = [...text.matchAll(new RegExp(`${sentenceEnd.source}|:`, 'gu'))];
  const last = boundaries.at(-1);
  const span = last ? text.slice(last.index + last[0].length) : text;
  const names: string[] = [];
  for (const piece of span.split(listSeparator).reverse()) {
    if (!piece.trim()) continue;
    const found = leadingName(piece);
    if (!found || found.rest.trim()) break;
    names.unshift(found.name);
  }
  return names;
}

const voteVerb = '(?:votou|votaram|voted|vote|votes|voto|votaron|vota|votam|votan)';
const side = {
  against: '(?:en\\s+)?(?:contra|against)',
  inFavour: '(?:a\\s+favor|in\\s+favou?r|favoravelmente)',
};
const nameCues: Record<'inFavourNames' | 'againstNames' | 'abstainingNames', { after: RegExp; before: RegExp }> = {
  againstNames: {
    after: new RegExp(
      `\\b${voteVerb}\\s+${side.against}\\b\\s*:?|\\bvotos?\\s+(?:contrarios?|en\\s+contra)\\s+(?:d[aeo]s?|del)\\b|\\b(?:en\\s+)?(?:contra|against)\\s*[:(]`,
      'gu',
    ),
    before: new RegExp(`\\s+${voteVerb}\\s+${side.against}\\b`, 'gu'),
  },
  inFavourNames: {
    after: new RegExp(
      `\\b${voteVerb}\\s+${side.inFavour}\\b\\s*:?|\\bvotos?\\s+(?:favoravel|favoraveis|a\\s+favor)\\s+(?:d[aeo]s?|del)\\b|\\b(?:a\\s+favor|in\\s+favou?r|favoraveis)\\s*[:(]`,
      'gu',
    ),
    before: new RegExp(`\\s+${voteVerb}\\s+${side.inFavour}\\b`, 'gu'),
  },
  abstainingNames: {
    after: new RegExp(
      '\\babsten(?:cao|coes|cion|ciones|tions?)\\s+(?:d[aeo]s?|del|of|from|by)\\b|\\babsten(?:cao|coes|cion|ciones|tions?)\\s*[:(]|\\b(?:absteve-se|abstiveram-se|se\\s+absteve|se\\s+abstiveram|se\\s+abstuvo|se\\s+abstuvieron|abstained|abstaining)\\b\\s*:?',
      'gu',
    ),
    before: /\s+(?:se\s+)?(?:absteve|abstiveram|abstuvo|abstuvieron|abstained|abstains|abstaining)\b/gu,
  },
};

/** Who voted how, when the text names them: see voteFromText for the cues. */
export function namesOfVote(text: string): Pick<Vote, 'inFavourNames' | 'againstNames' | 'abstainingNames'> {
  const nfc = text.normalize('NFC');
  const folded = foldText(nfc);
  const namesFor = ({ after, before }: { after: RegExp; before: RegExp }) => [
    ...new Set([
      ...[...folded.matchAll(after)].flatMap((match) => namesAfter(nfc.slice(match.index + match[0].length))),
      ...[...folded.matchAll(before)].flatMap((match) => namesBefore(nfc.slice(0, match.index))),
    ]),
  ];
  return { inFavourNames: namesFor(nameCues.inFavourNames), againstNames: namesFor(nameCues.againstNames), abstainingNames: namesFor(nameCues.abstainingNames) };
}
