import type { Catalog, DateParts } from './catalog.js';

/** "9 de marzo de 2027". */
const dayOf = ({ day, month, year }: DateParts) => `${day} de ${month} de ${year}`;

/** Who presided and who took the minutes, each only when known. */
const officers = (chair: string | null, secretary: string | null) =>
  (chair ? `, bajo la presidencia de ${chair}` : '') + (secretary ? `, actuando como secretario(a) ${secretary}` : '');

const draftedBy = (secretary: string | null) => (secretary ? `y yo, ${secretary}, Secretario(a), redacté` : 'y se redactó');

const members = (expected: number) => (expected === 1 ? 'de 1 miembro' : `de los ${expected} miembros`);

export const es = {
  locale: 'es-ES',
  modelLanguage: 'Spanish, in the formal style of actas',
  minutes: {
    openingHeading: 'Apertura',
    date: 'Fecha',
    time: 'Hora',
    place: 'Lugar',
    kinds: {
      board: {
        heading: 'ACTA DE LA REUNIÓN DEL CONSEJO DE ADMINISTRACIÓN',
        opening: ({ date, time, place, chair, secretary }) =>
          `El ${dayOf(date)}, a las ${time}, se reunieron por ${place} los miembros del Consejo de Administración abajo indicados${officers(chair, secretary)}, para tratar el orden del día.`,
        attendance: 'Consejeros presentes',
        chair: 'Presidente del Consejo',
        secretary: 'Secretario(a)',
        closing: (secretary) =>
          `No habiendo más asuntos que tratar, se levantó la sesión, ${draftedBy(secretary)} la presente acta, que, leída y aprobada, firman el (la) Presidente y el (la) Secretario(a).`,
      },
      shareholders: {
        heading: 'ACTA DE LA JUNTA GENERAL DE ACCIONISTAS',
        opening: ({ date, time, place, chair, secretary }) =>
          `El ${dayOf(date)}, a las ${time}, se reunieron en Junta General, por ${place}, los accionistas abajo indicados${officers(chair, secretary)}, para tratar el orden del día.`,
        attendance: 'Accionistas presentes',
        chair: 'Presidente de la Junta',
        secretary: 'Secretario(a)',
        closing: (secretary) =>
          `No habiendo más asuntos que tratar, se levantó la sesión, ${draftedBy(secretary)} la presente acta, que, leída y aprobada, firman el (la) Presidente y el (la) Secretario(a) de la Junta.`,
      },
      condominium: {
        heading: 'ACTA DE LA JUNTA DE PROPIETARIOS',
        opening: ({ date, time, place, chair, secretary }) =>
          `El ${dayOf(date)}, a las ${time}, se reunieron en Junta, por ${place}, los propietarios abajo indicados${officers(chair, secretary)}, para tratar el orden del día.`,
        attendance: 'Propietarios presentes',
        chair: 'Presidente de la Junta',
        secretary: 'Secretario(a)',
        closing: (secretary) =>
          `No habiendo más asuntos que tratar, se levantó la sesión, ${draftedBy(secretary)} la presente acta, que, leída y aprobada, firman el (la) Presidente y el (la) Secretario(a).`,
      },
      general: {
        heading: 'ACTA DE LA REUNIÓN',
        opening: ({ date, time, place, chair, secretary }) =>
          `El ${dayOf(date)}, a las ${time}, se reunieron por ${place} los participantes abajo indicados${officers(chair, secretary)}, para tratar el orden del día.`,
        attendance: 'Presentes',
        chair: 'Presidente',
        secretary: 'Secretario(a)',
        closing: (secretary) =>
          `No habiendo más asuntos que tratar, se levantó la sesión, ${draftedBy(secretary)} la presente acta, que, leída y aprobada, firman los presentes.`,
      },
    },
    quorum: {
      met: ({ present, expected, required }) =>
        `Verificado el quórum de constitución, con la presencia de ${present} ${members(expected)} (mínimo de ${required}), se declaró válidamente constituida la reunión.`,
      notMet: ({ present, expected, required }) =>
        `No se alcanzó el quórum de constitución: estaban presentes ${present} ${members(expected)}, siendo el mínimo exigido de ${required}.`,
      warningLabel: 'Atención:',
      warning: 'esta acta queda señalada porque la reunión no alcanzó el quórum; los acuerdos aquí recogidos deben verificarse antes de su firma.',
    },
    absent: 'Ausentes',
    guests: 'Asistieron también',
    agenda: 'Orden del día',
    notDiscussed: 'No tratado.',
    otherBusiness: 'Asuntos varios',
    discussion: 'Deliberación',
    decisions: 'Acuerdos',
    proposedBy: 'Propuesto por',
    vote: 'Votación',
    agendaItem: (number) => `punto ${number} del orden del día`,
    voting: {
      outcome: { approved: 'aprobada', rejected: 'rechazada', postponed: 'aplazada', no_vote: 'no sometida a votación' },
      method: { unanimous: 'por unanimidad', counted: 'por', acclamation: 'por aclamación', consensus: 'por consenso' },
      inFavour: (count) => `${count} ${count === 1 ? 'voto' : 'votos'} a favor`,
      against: (count) => `${count} en contra`,
      abstaining: (count) => `${count} ${count === 1 ? 'abstención' : 'abstenciones'}`,
    },
    actionItems: 'Tareas',
    actionColumns: ['Responsable', 'Tarea', 'Plazo', 'Ref.'],
    noDueDate: 'por definir',
    reference: { recording: (time) => `grabación, ${time}`, turn: (ordinal) => `turno ${ordinal}` },
    closing: 'Cierre',
    none: 'Ninguno registrado.',
    platform: { zoom: 'videoconferencia (Zoom)', unknown: 'medio no informado' },
  },
  pdf: {
    page: (page, total) => `Página ${page} de ${total}`,
    signatures: 'Firmas',
    contentHash: 'SHA-256 del contenido',
    draft: 'BORRADOR',
    test: 'PRUEBA',
  },
  envelope: {
    subject: (topic) => `Firma del acta: ${topic}`,
  },
} satisfies Catalog;
