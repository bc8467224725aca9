import type { Language } from '../../src/i18n/languages.js';
import type { Member, QuorumRule } from '../../src/modules/meetings/meeting-settings.js';
import type { MeetingRow } from '../../src/modules/meetings/meetings.repo.js';
import type { Vote } from '../../src/modules/minutes/minutes.notes.js';
import type { Invitee } from '../../src/modules/minutes/minutes.record-builder.js';

/**
 * The facts of the board meeting in scripts/demo/board-meeting.pt-BR.vtt that Atas holds beside
 * the transcript: the meeting as scheduled on Zoom, its board members and its agenda. The
 * transcript dates it: May's minutes approved, the second quarter's results, deadlines from
 * 02/08/2026, a penetration test finished in July. A Tuesday at the end of July 2026, then.
 */
export const organizationName = 'Horizonte Logística S.A.';
export const timeZone = 'America/Sao_Paulo';
export const startTime = new Date('2026-07-28T09:00:00-03:00');
export const durationMinutes = 45;
/** The chair closed it at 9h46: the PDFs' creation date, so the same notes give the same bytes. */
export const endedAt = new Date('2026-07-28T09:46:00-03:00');
export const transcriptPath = new URL('../demo/board-meeting.pt-BR.vtt', import.meta.url);

/** The seven directors: six connected, Sérgio Bastos absent (travelling). */
export const members: Member[] = [
  { name: 'Helena Prado', email: 'helena.prado@horizontelogistica.com.br' },
  { name: 'Marcos Tavares', email: 'marcos.tavares@horizontelogistica.com.br' },
  { name: 'Beatriz Lins', email: 'beatriz.lins@horizontelogistica.com.br' },
  { name: 'Paulo Azevedo', email: 'paulo.azevedo@horizontelogistica.com.br' },
  { name: 'Camila Rocha', email: 'camila.rocha@horizontelogistica.com.br' },
  { name: 'Fernando Quintela', email: 'fernando.quintela@horizontelogistica.com.br' },
  { name: 'Sérgio Bastos', email: 'sergio.bastos@horizontelogistica.com.br' },
];
export const quorum: QuorumRule = { rule: 'majority' };

/** Not directors: the secretary of the meeting, and the CEO and CFO as guests. */
const others = [
  { name: 'Ricardo Menezes', email: 'ricardo.menezes@horizontelogistica.com.br' },
  { name: 'André Figueiredo', email: 'andre.figueiredo@horizontelogistica.com.br' },
  { name: 'Juliana Costa', email: 'juliana.costa@horizontelogistica.com.br' },
];

/** Everyone invited on Zoom, and when Zoom saw them join (the absent director never did). */
export const invitees: Invitee[] = [...members, ...others].map((person) => ({
  name: person.name,
  email: person.email!,
  joinedAt: person.name === 'Sérgio Bastos' ? null : new Date('2026-07-28T08:58:00-03:00'),
}));

/** The agenda sent with the call, as the secretary would type it into the meeting in each language. */
const agendas: Record<Language, string[]> = {
  'pt-BR': [
    'Ata da reunião anterior',
    'Resultados do 2º trimestre',
    'Orçamento de investimentos do centro de distribuição de Extrema (MG)',
    'Juros sobre capital próprio',
    'Gestão de riscos e segurança da informação',
    'Assuntos gerais',
  ],
  en: [
    'Minutes of the previous meeting',
    'Second-quarter results',
    'Capital expenditure budget for the Extrema (MG) distribution centre',
    'Interest on shareholders’ equity',
    'Risk management and information security',
    'Other business',
  ],
  es: [
    'Acta de la reunión anterior',
    'Resultados del segundo trimestre',
    'Presupuesto de inversiones del centro de distribución de Extrema (MG)',
    'Intereses sobre el capital propio',
    'Gestión de riesgos y seguridad de la información',
    'Asuntos varios',
  ],
};

const topics: Record<Language, string> = {
  'pt-BR': 'Reunião ordinária do Conselho de Administração',
  en: 'Regular meeting of the Board of Directors',
  es: 'Reunión ordinaria del Consejo de Administración',
};

/** The meeting as its row holds it, in the language its secretary wrote it in. */
export function meetingOf(
  language: Language,
): Pick<MeetingRow, 'topic' | 'agenda' | 'kind' | 'members' | 'quorum' | 'chair' | 'secretary' | 'startTime' | 'duration' | 'zoomMeetingId'> {
  return {
    topic: topics[language],
    agenda: agendas[language].map((item, index) => `${index + 1}. ${item}`).join('\n'),
    kind: 'board',
    members,
    quorum,
    // Neither role is declared: the ata names them from the turns the notes cite.
    chair: null,
    secretary: null,
    startTime,
    duration: durationMinutes,
    zoomMeetingId: '84712390456',
  };
}

/**
 * The transcript turns (0-based, as parseTranscript numbers them) that the notes cite, the same in
 * every language: the script prints each one so a reader can check it says what is cited.
 */
export const turn = {
  chairPresides: 2,
  secretaryActs: 4,
  mayMinutesApproved: 23,
  mayMinutesSignatures: 24,
  receivablesFollowUp: 58,
  quarterReviewed: 78,
  extremaApproved: 127,
  environmentalDueDiligence: 129,
  disbursementSchedule: 133,
  occupancyOnAgenda: 135,
  interestOnEquityApproved: 150,
  interestOnEquityNotice: 152,
  cyberPolicyReview: 175,
  internalControlsReport: 177,
  auditorSelection: 182,
  boardOfTradeFiling: 186,
  minutesDraft: 187,
} as const;

const noNames: Pick<Vote, 'inFavourNames' | 'againstNames' | 'abstainingNames'> = { inFavourNames: [], againstNames: [], abstainingNames: [] };

/** The votes as the transcript states them: names are names in every language. */
export const votes = {
  /** "Não havendo manifestação contrária, fica aprovada por unanimidade". */
  unanimous: { method: 'unanimous', inFavour: null, against: null, abstaining: null, ...noNames },
  /** Recorded by the chair without a vote. */
  none: { method: 'not_stated', inFavour: null, against: null, abstaining: null, ...noNames },
  /** Extrema, by roll call: five in favour, Fernando Quintela abstaining (conflict of interest). */
  extrema: {
    method: 'counted',
    inFavour: 5,
    against: 0,
    abstaining: 1,
    inFavourNames: ['Marcos Tavares', 'Beatriz Lins', 'Paulo Azevedo', 'Camila Rocha', 'Helena Prado'],
    againstNames: [],
    abstainingNames: ['Fernando Quintela'],
  },
} satisfies Record<string, Vote>;
