/**
 * The kinds of meeting an ata can be written for, each with its own headings, formulas and
 * signature block in every catalog (`minutes.kinds`). Here, beside the words, because a catalog
 * must have words for every kind and src/i18n imports nothing of the app.
 *
 * - `board`: a board of directors or a deliberative council (conselho de administração, deliberativo).
 * - `shareholders`: a shareholders' or members' meeting (assembleia geral, reunião de sócios).
 * - `condominium`: a condominium owners' meeting (assembleia de condomínio).
 * - `general`: any other meeting; the default.
 */
export const meetingKinds = ['board', 'shareholders', 'condominium', 'general'] as const;
export type MeetingKind = (typeof meetingKinds)[number];
