/**
 * The kinds of notification e-mail, each with its words in every catalog (`email.kinds`) and its
 * facts in notifications.templates.ts. Here, beside the words, because a catalog must have words
 * for every kind and src/i18n imports nothing of the app.
 *
 * To the meeting's owner:
 * - `minutes_ready`: the minutes were generated and wait for review.
 * - `minutes_failed`: the minutes could not be generated.
 * - `signer_declined`: a signer declined to sign; the envelope is over.
 * - `envelope_voided`: the envelope was voided, by the owner or by DocuSign.
 * - `envelope_completed`: every signer signed.
 *
 * To every participant with an e-mail address:
 * - `signed_ata`: the signed minutes, attached or as a download link.
 */
export const emailKinds = ['minutes_ready', 'minutes_failed', 'signer_declined', 'envelope_voided', 'envelope_completed', 'signed_ata'] as const;
export type EmailKind = (typeof emailKinds)[number];

/**
 * Why a generation failed, as a `minutes_failed` e-mail says it in the recipient's language (the
 * error's own message is English): the model's limits, the provider, a refusal, the credentials,
 * a generation that stopped, or anything else.
 */
export const generationFailures = ['too_long', 'provider', 'refused', 'credentials', 'stalled', 'other'] as const;
export type GenerationFailure = (typeof generationFailures)[number];
