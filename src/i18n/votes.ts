/**
 * The values a deliberação's vote can take, as the notes' schema (minutes.notes.ts) states them
 * and each catalog words them (`minutes.voting`). Here, beside the words, because a catalog must
 * have words for every value and src/i18n imports nothing of the app.
 */

/** How a deliberação was voted. `not_stated`: the transcript does not say. */
export const voteMethods = ['unanimous', 'counted', 'acclamation', 'consensus', 'not_stated'] as const;
export type VoteMethod = (typeof voteMethods)[number];

/** What came of a deliberação. `no_vote`: it was recorded without being put to a vote. */
export const voteOutcomes = ['approved', 'rejected', 'postponed', 'no_vote'] as const;
export type VoteOutcome = (typeof voteOutcomes)[number];
