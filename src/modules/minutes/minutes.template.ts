import type { AtaNotes } from './ata.schema.js';
import { clock, type MinutesLanguage } from './minutes.prompt.js';

export interface AtaFacts {
  topic: string;
  startTime: Date;
  durationMinutes: number;
  platform: string;
  timeZone: string;
  /** Invited people who neither spoke nor joined. */
  absent: string[];
  /** When a turn began (seconds into the meeting), for the references of decisions and tasks. */
  turnStart: (index: number) => number | null;
}

interface Wording {
  heading: string;
  date: string;
  time: string;
  place: string;
  presiding: string;
  secretary: string;
  openingHeading: string;
  opening: (facts: { date: string; time: string; place: string; presiding: string | null; secretary: string | null }) => string;
  attendance: string;
  absent: string;
  agenda: string;
  discussion: string;
  decisions: string;
  proposedBy: string;
  vote: string;
  actionItems: string;
  actionColumns: [string, string, string, string];
  noDueDate: string;
  turn: string;
  closing: string;
  closingText: (secretary: string | null) => string;
  none: string;
}

const wordings: Record<MinutesLanguage, Wording> = {
  'pt-BR': {
    heading: 'ATA DA REUNIÃO',
    openingHeading: 'Abertura',
    date: 'Data',
    time: 'Horário',
    place: 'Local',
    presiding: 'Presidente',
    secretary: 'Secretário(a)',
    opening: ({ date, time, place, presiding, secretary }) =>
      `No dia ${date.replace(/^1 /, '1º ')}, às ${time}, reuniram-se por ${place} os participantes abaixo relacionados` +
      (presiding ? `, sob a presidência de ${presiding}` : '') +
      (secretary ? `, secretariados por ${secretary}` : '') +
      ', para deliberar sobre a ordem do dia.',
    attendance: 'Presença',
    absent: 'Ausentes',
    agenda: 'Ordem do dia',
    discussion: 'Discussão',
    decisions: 'Deliberações',
    proposedBy: 'Proposta por',
    vote: 'Votação',
    actionItems: 'Encaminhamentos',
    actionColumns: ['Responsável', 'Tarefa', 'Prazo', 'Ref.'],
    noDueDate: 'a definir',
    turn: 'turno',
    closing: 'Encerramento',
    closingText: (secretary) =>
      `Nada mais havendo a tratar, a reunião foi encerrada, e ${secretary ? `eu, ${secretary}, lavrei` : 'foi lavrada'} a presente ata, que, lida e aprovada, vai assinada pelos presentes.`,
    none: 'Nenhuma registrada.',
  },
  en: {
    heading: 'MINUTES OF THE MEETING',
    openingHeading: 'Opening',
    date: 'Date',
    time: 'Time',
    place: 'Place',
    presiding: 'Chair',
    secretary: 'Secretary',
    opening: ({ date, time, place, presiding, secretary }) =>
      `On ${date}, at ${time}, the participants listed below met by ${place}` +
      (presiding ? `, chaired by ${presiding}` : '') +
      (secretary ? `, with ${secretary} as secretary` : '') +
      ', to consider the agenda.',
    attendance: 'Attendance',
    absent: 'Absent',
    agenda: 'Agenda',
    discussion: 'Discussion',
    decisions: 'Resolutions',
    proposedBy: 'Proposed by',
    vote: 'Vote',
    actionItems: 'Action items',
    actionColumns: ['Owner', 'Task', 'Due', 'Ref.'],
    noDueDate: 'to be set',
    turn: 'turn',
    closing: 'Closing',
    closingText: (secretary) =>
      `There being no further business, the meeting was closed. These minutes were taken${secretary ? ` by ${secretary}` : ''} and, having been read and approved, are signed by those present.`,
    none: 'None recorded.',
  },
  es: {
    heading: 'ACTA DE LA REUNIÓN',
    openingHeading: 'Apertura',
    date: 'Fecha',
    time: 'Hora',
    place: 'Lugar',
    presiding: 'Presidente',
    secretary: 'Secretario(a)',
    opening: ({ date, time, place, presiding, secretary }) =>
      `El ${date}, a las ${time}, se reunieron por ${place} los participantes abajo indicados` +
      (presiding ? `, bajo la presidencia de ${presiding}` : '') +
      (secretary ? `, actuando como secretario(a) ${secretary}` : '') +
      ', para tratar el orden del día.',
    attendance: 'Asistencia',
    absent: 'Ausentes',
    agenda: 'Orden del día',
    discussion: 'Deliberación',
    decisions: 'Acuerdos',
    proposedBy: 'Propuesto por',
    vote: 'Votación',
    actionItems: 'Tareas',
    actionColumns: ['Responsable', 'Tarea', 'Plazo', 'Ref.'],
    noDueDate: 'por definir',
    turn: 'turno',
    closing: 'Cierre',
    closingText: (secretary) =>
      `No habiendo más asuntos que tratar, se levantó la sesión, ${secretary ? `y yo, ${secretary}, redacté` : 'y se redactó'} la presente acta, que, leída y aprobada, firman los presentes.`,
    none: 'Ninguno registrado.',
  },
};

const locales: Record<MinutesLanguage, string> = { 'pt-BR': 'pt-BR', en: 'en-GB', es: 'es-ES' };

/** Date and time of the meeting as people write them in that language, in the meeting's time zone. */
export function formatMeetingTime(startTime: Date, language: MinutesLanguage, timeZone: string) {
  const locale = locales[language];
  const date = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone }).format(startTime);
  const time = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', timeZone, timeZoneName: 'short' }).format(startTime);
  return { date, time };
}

export function wordingOf(language: MinutesLanguage) {
  return wordings[language];
}

/**
 * The ata's Markdown, from the model's notes and the facts we hold. The formal frame (abertura,
 * presença, ordem do dia, deliberações, encerramento) is ours, in the requested language.
 */
export function renderAtaMarkdown(notes: AtaNotes, facts: AtaFacts, language: MinutesLanguage): string {
  const words = wordings[language];
  const { date, time } = formatMeetingTime(facts.startTime, language, facts.timeZone);
  const reference = (turn: number) => {
    const start = facts.turnStart(turn);
    // People count turns from 1; sourceTurn is the 0-based index into the transcript's turns.
    const ordinal = turn + 1;
    return start === null ? `${words.turn} ${ordinal}` : `${words.turn} ${ordinal}, ${clock(start)}`;
  };
  const lines: string[] = [
    `# ${words.heading}: ${escapeInline(notes.title)}`,
    '',
    `## ${words.openingHeading}`,
    '',
    escapeInline(words.opening({ date, time, place: facts.platform, presiding: notes.presiding, secretary: notes.secretary })),
    '',
    `## ${words.attendance}`,
    '',
    ...listOr(notes.attendees.map((person) => escapeInline(person.role ? `${person.name} (${person.role})` : person.name)), words.none),
    ...(facts.absent.length > 0 ? ['', `**${words.absent}:** ${escapeInline(facts.absent.join(', '))}`] : []),
    '',
    `## ${words.agenda}`,
    '',
    ...(notes.agenda.length > 0 ? notes.agenda.map((item, index) => `${index + 1}. ${escapeInline(item.title)}`) : [words.none]),
    '',
    `## ${words.discussion}`,
    '',
    ...notes.agenda.flatMap((item, index) => [`### ${index + 1}. ${escapeInline(item.title)}`, '', escapeBlock(item.discussion), '']),
    `## ${words.decisions}`,
    '',
    ...(notes.decisions.length > 0
      ? notes.decisions.map((decision, index) => {
          const details = [
            decision.proposedBy ? `${words.proposedBy}: ${decision.proposedBy}` : undefined,
            decision.vote ? `${words.vote}: ${decision.vote}` : undefined,
            reference(decision.sourceTurn),
          ].filter(Boolean);
          return `${index + 1}. ${escapeInline(decision.text)} *(${escapeInline(details.join('; '))})*`;
        })
      : [words.none]),
    '',
    `## ${words.actionItems}`,
    '',
    ...(notes.actionItems.length > 0
      ? [
          `| ${words.actionColumns.join(' | ')} |`,
          `| ${words.actionColumns.map(() => '---').join(' | ')} |`,
          ...notes.actionItems.map(
            (item) =>
              `| ${escapeInline(item.owner ?? '—')} | ${escapeInline(item.task)} | ${escapeInline(item.dueDate ?? words.noDueDate)} | ${escapeInline(reference(item.sourceTurn))} |`,
          ),
        ]
      : [words.none]),
    '',
    `## ${words.closing}`,
    '',
    escapeInline(words.closingText(notes.secretary)),
    '',
  ];
  return lines.join('\n');
}

function listOr(items: string[], none: string): string[] {
  return items.length > 0 ? items.map((item) => `- ${item}`) : [none];
}

/** Text from the model or the transcript must not become Markdown structure (or HTML). */
function escapeInline(text: string): string {
  return text
    .trim()
    .replace(/\s*\n\s*/g, ' ')
    .replace(/([\\`*_[\]<>|#])/g, '\\$1')
    .replace(/^([-+=~])/, '\\$1') // would start a list, a rule or a fence
    .replace(/^(\d+)([.)])/, '$1\\$2'); // would start a numbered list
}

function escapeBlock(text: string): string {
  return text
    .split(/\n{2,}/)
    .map((paragraph) => escapeInline(paragraph))
    .join('\n\n');
}


