import type { Vote, VoteOutcome } from './minutes.notes.js';

/**
 * A structured vote read from text by a few fixed cues, in pt-BR, en and es. Not a language
 * model: the OpenAI emulator uses it on a transcript turn, and stored notes written before votes
 * were data use it on their free-text vote. The cues:
 *
 * - outcome: "rejeitad", "rejected", "rechazad" → rejected; "adiad", "postponed", "aplazad" →
 *   postponed; "aprovad", "aprovamos", "approved", "aprobad" → approved; a unanimous or consensus
 *   vote with no other outcome word → approved; otherwise null (not stated).
 * - method: counts (below) → counted; "unanim"/"unânim" → unanimous; "aclama"/"acclamation" →
 *   acclamation; "consens" → consensus; otherwise not_stated.
 * - counts: a number (digits, or a word from zero to ten) before "votos a favor", "votes in
 *   favour/favor", "a favor", "favoráveis"; before "contra", "against", "en contra"; before
 *   "abstenções", "abstenção", "abstentions", "abstenciones". "a abstenção", "an abstention",
 *   "una abstención" count one. Names are never read: the fields stay empty.
 */
export function voteFromText(text: string): { outcome: VoteOutcome | null; vote: Vote } {
  const inFavour = countBefore(text, /(?:votos?\s+)?(?:a\s+favor|favor[áa]veis)|votes?\s+in\s+favou?r|in\s+favou?r/);
  const against = countBefore(text, /(?:votos?\s+|votes?\s+)?(?:en\s+)?(?:contra|against)/);
  const abstaining = countBefore(text, /absten[çc](?:ão|ões|oes|ao)|abstentions?|abstenci(?:ón|on|ones)/) ?? (/\b(?:a|uma|one|an|una)\s+(?:absten[çc][ãa]o|abstention|abstenci[óo]n)\b/i.test(text) ? 1 : null);
  const isCounted = inFavour !== null || against !== null || abstaining !== null;
  const method: Vote['method'] = isCounted
    ? 'counted'
    : /un[aâ]nim/i.test(text)
      ? 'unanimous'
      : /aclama|acclamation/i.test(text)
        ? 'acclamation'
        : /consens/i.test(text)
          ? 'consensus'
          : 'not_stated';
  const outcome: VoteOutcome | null = /rejeitad|rejected|rechazad/i.test(text)
    ? 'rejected'
    : /adiad|postponed|aplazad/i.test(text)
      ? 'postponed'
      : /aprovad|aprovamos|approved|aprobad/i.test(text) || method === 'unanimous' || method === 'consensus' || method === 'acclamation'
        ? 'approved'
        : null;
  return { outcome, vote: { method, inFavour, against, abstaining, inFavourNames: [], againstNames: [], abstainingNames: [] } };
}

const numberWords: Record<string, number> = {
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
