import type { VotingWords } from '../../i18n/catalog.js';
import type { MinutesRecord } from './minutes.record.js';

type Decision = Pick<MinutesRecord['decisions'][number], 'outcome' | 'vote'>;

/**
 * A deliberação's vote in the words of one language: "aprovada por unanimidade", "approved by 5
 * votes in favour, 1 against (Bruno Lima) and 1 abstention", "aplazada". Null when the notes state
 * neither an outcome nor how it was voted. Only enums, counts and names come from the model; every
 * word is the catalog's, so a pt-BR ata has no English in it. `locale` joins lists ("a, b e c").
 */
export function voteResultOf(decision: Decision, words: VotingWords, locale: string): string | null {
  const { outcome, vote } = decision;
  const parts: string[] = [];
  if (outcome) parts.push(words.outcome[outcome]);
  if (outcome !== 'no_vote' && vote.method !== 'not_stated') {
    if (vote.method === 'counted') {
      const list = (items: string[]) => new Intl.ListFormat(locale, { type: 'conjunction', style: 'long' }).format(items);
      const counts = (
        [
          [vote.inFavour, vote.inFavourNames, words.inFavour],
          [vote.against, vote.againstNames, words.against],
          [vote.abstaining, vote.abstainingNames, words.abstaining],
        ] as const
      ).flatMap(([count, names, wordsOf]) => {
        const n = count ?? (names.length > 0 ? names.length : null);
        if (n === null) return [];
        return [names.length > 0 ? `${wordsOf(n)} (${list(names)})` : wordsOf(n)];
      });
      if (counts.length > 0) parts.push(`${words.method.counted} ${list(counts)}`);
    } else {
      parts.push(words.method[vote.method]);
    }
  }
  return parts.length > 0 ? parts.join(' ') : null;
}
