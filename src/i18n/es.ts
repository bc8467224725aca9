import type { Catalog } from './catalog.js';

export const es = {
  locale: 'es-ES',
  modelLanguage: 'Spanish, in the formal style of actas',
  minutes: {
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
    turn: 'turno',
    closing: 'Cierre',
    closingText: (secretary) =>
      `No habiendo más asuntos que tratar, se levantó la sesión, ${secretary ? `y yo, ${secretary}, redacté` : 'y se redactó'} la presente acta, que, leída y aprobada, firman los presentes.`,
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
