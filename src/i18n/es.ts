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
  email: {
    greeting: (name) => (name ? `Hola, ${name}:` : 'Hola:'),
    signOff: 'Saludos cordiales,',
    signature: (organizationName) => `Atas · ${organizationName}`,
    whyYouGetThis: {
      owner: (organizationName) => `Recibe este correo porque es responsable de esta reunión en la cuenta de ${organizationName} en Atas.`,
      participant: (organizationName) => `Recibe este correo porque participó en esta reunión, registrada por ${organizationName} en Atas.`,
    },
    unsubscribe: (label) => `¿No desea recibir más correos sobre ${label}?`,
    unsubscribeLink: 'Dejar de recibir estos correos',
    preferencesLink: 'Administrar sus notificaciones',
    buttonFallback: 'Si el botón no funciona, copie y pegue esta dirección en su navegador:',
    unsubscribePage: {
      title: 'Dejar de recibir correos',
      question: (label, email) => `¿Desea dejar de recibir en ${email} los correos sobre ${label}?`,
      button: 'Dejar de recibir estos correos',
      done: (label, email) => `Listo. La dirección ${email} ya no recibirá correos sobre ${label}.`,
    },
    kinds: {
      minutes_ready: {
        label: 'actas listas para revisar',
        subject: (topic) => `Acta lista para revisar: ${topic}`,
        intro: ({ topic, date }) => `El acta de la reunión “${topic}” del ${date} está lista para su revisión.`,
        next: 'Revise el texto y, si todo está correcto, envíelo a firma.',
        action: 'Revisar el acta',
      },
      minutes_failed: {
        label: 'actas que no se pudieron generar',
        subject: (topic) => `No se pudo generar el acta: ${topic}`,
        intro: ({ topic, date }) => `No fue posible generar el acta de la reunión “${topic}” del ${date}.`,
        reason: (reason) => `Motivo: ${reason}`,
        failures: {
          too_long: 'la reunión no cupo en el contexto del modelo de lenguaje, ni siquiera en partes más pequeñas.',
          provider: 'el servicio del modelo de lenguaje no respondió como se esperaba; inténtelo de nuevo más tarde.',
          refused: 'el modelo de lenguaje rechazó el contenido de la transcripción.',
          credentials: 'las credenciales del modelo de lenguaje no están configuradas o no son válidas.',
          stalled: 'la generación dejó de avanzar.',
          other: 'un fallo inesperado.',
        },
        next: 'Puede ver los detalles e intentarlo de nuevo en la página del acta.',
        action: 'Ver los detalles',
      },
      signer_declined: {
        label: 'firmas rechazadas',
        subject: (topic) => `Firma rechazada: ${topic}`,
        intro: ({ topic, date, signerName }) => `${signerName ?? 'Uno de los firmantes'} rechazó firmar el acta de la reunión “${topic}” del ${date}.`,
        reason: (reason) => `Motivo indicado: ${reason}`,
        noReason: 'No se indicó ningún motivo.',
        next: 'Con el rechazo, el sobre quedó cerrado y no se recabarán más firmas. Revise el acta y, si corresponde, envíela de nuevo a firma.',
        action: 'Ver el acta',
      },
      envelope_voided: {
        label: 'sobres anulados',
        subject: (topic) => `Sobre anulado: ${topic}`,
        intro: ({ topic, date }) => `El sobre de firma del acta de la reunión “${topic}” del ${date} fue anulado.`,
        reason: (reason) => `Motivo: ${reason}`,
        next: 'Las firmas pendientes ya no se recabarán. Si es necesario, envíe el acta de nuevo a firma.',
        action: 'Ver el acta',
      },
      envelope_completed: {
        label: 'sobres completados',
        subject: (topic) => `Acta firmada por todos: ${topic}`,
        intro: ({ topic, date }) => `Todos los firmantes firmaron el acta de la reunión “${topic}” del ${date}. El PDF firmado ya está disponible.`,
        action: 'Descargar el PDF firmado',
        viewMinutes: 'Abrir el acta en Atas',
      },
      signed_ata: {
        label: 'actas firmadas',
        subject: (topic) => `Acta firmada: ${topic}`,
        intro: ({ topic, date }) => `El acta de la reunión “${topic}” del ${date} fue firmada por todos los firmantes.`,
        attached: 'El acta firmada se adjunta a este correo en PDF.',
        download: ({ date, time }) => `Puede descargar el acta firmada en PDF hasta el ${date}, a las ${time}.`,
        action: 'Descargar el acta firmada',
      },
    },
  },
} satisfies Catalog;
