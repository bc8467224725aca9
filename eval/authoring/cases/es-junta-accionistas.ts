import { action, after, counted, decision, fill, notStated, over, say, unanimous, type CaseSource } from '../script.js';

const shareholders = [
  'Fernando Aguilar', 'Mercedes Lozano', 'Héctor Ramos', 'Rocío Campos', 'Enrique Soto', 'Adriana Vázquez',
  'Gabriel Núñez', 'Paloma Rubio', 'Ricardo Esteban', 'Julia Márquez', 'Diego Carrasco', 'Verónica Peña',
].map((name) => ({ name, email: `${name.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase().replace(' ', '.')}@accionistas-levante.example.com` }));
const present = ['Fernando Aguilar', 'Mercedes Lozano', 'Héctor Ramos', 'Rocío Campos', 'Enrique Soto', 'Adriana Vázquez', 'Gabriel Núñez', 'Paloma Rubio', 'Ricardo Esteban'];

/** A three-hour general shareholders' meeting: six resolutions, counted with names, a rejection, a postponement. */
export const esJuntaAccionistas: CaseSource = {
  meeting: {
    id: 'es-junta-accionistas',
    description: 'Junta general de accionistas, 3 h (generada: intervenciones clave escritas a mano y debate de un banco de frases): seis acuerdos (unanimidad, votaciones contadas con nombres en contra y abstención, una ampliación de capital rechazada, una modificación de estatutos aplazada), asuntos varios, quórum por número (6), secretario no accionista.',
    topic: 'Levante Energía Solar, S.A.: Junta General Ordinaria de Accionistas',
    language: 'es',
    kind: 'shareholders',
    startTime: '2026-06-25T11:00:00+02:00',
    timeZone: 'Europe/Madrid',
    durationMinutes: 180,
    agenda: [
      'Cuentas anuales del ejercicio 2025',
      'Aplicación del resultado',
      'Gestión del órgano de administración',
      'Reelección del auditor de cuentas',
      'Ampliación de capital con aportaciones dinerarias',
      'Modificación de los estatutos sociales',
    ],
    participants: [...shareholders, { name: 'Alfonso Medina', email: 'alfonso.medina@levante-solar.example.com' }],
    members: shareholders,
    quorum: { rule: 'count', count: 6 },
  },
  people: { F: 'Fernando Aguilar', M: 'Mercedes Lozano', H: 'Héctor Ramos', R: 'Rocío Campos', E: 'Enrique Soto', A: 'Adriana Vázquez', G: 'Gabriel Núñez', P: 'Paloma Rubio', C: 'Ricardo Esteban', S: 'Alfonso Medina' },
  key: {
    chair: 'Fernando Aguilar',
    secretary: 'Alfonso Medina',
    present: [...present, 'Alfonso Medina'],
    absent: ['Julia Márquez', 'Diego Carrasco', 'Verónica Peña'],
    quorum: { expected: 12, required: 6, present: 9, met: true },
    agenda: { discussed: [1, 2, 3, 4, 5, 6], notDiscussed: [], offAgenda: 1 },
  },
  script: [
    say('F: Buenos días, señoras y señores accionistas. Siendo las once y diez, declaro abierta la sesión de la Junta General Ordinaria.'),
    say('S: Buenos días. Actúo como secretario de la junta, no accionista, y yo levanto el acta.'),
    say('S: Están presentes: Fernando Aguilar, Mercedes Lozano, Héctor Ramos, Rocío Campos, Enrique Soto, Adriana Vázquez, Gabriel Núñez, Paloma Rubio y Ricardo Esteban. Nueve de doce accionistas.'),
    say('F: Punto 1, cuentas anuales del ejercicio 2025. Doy la palabra al consejero delegado, Héctor Ramos.'),
    say('H: Gracias, presidente. La cifra de negocio creció un veintidós por ciento, hasta cuarenta y un millones de euros.'),
    fill('00:32:00', 'H F M R E A G P C', [
      'El EBITDA alcanzó los nueve millones, con un margen del veintidós por ciento.',
      'Se pusieron en marcha tres plantas nuevas en Albacete y Murcia.',
      'El informe de auditoría no tiene salvedades.',
      'La deuda financiera neta bajó a dieciocho millones.',
      'Quisiera saber por qué subieron tanto los gastos de personal.',
      'La plantilla pasó de ciento diez a ciento cuarenta personas por las nuevas plantas.',
    ]),
    after(5, 'F: Sometemos a votación las cuentas anuales.'),
    decision('F: Las cuentas anuales del ejercicio 2025 quedan aprobadas con 8 votos a favor y 1 abstención. Abstención de Enrique Soto.', {
      summary: 'Cuentas anuales 2025 aprobadas',
      outcome: 'approved',
      vote: counted(8, null, 1, { abstaining: ['Enrique Soto'] }),
      item: 1,
    }),
    action('S: Me encargo de depositar las cuentas en el Registro Mercantil antes del 25 de julio.', { summary: 'Depósito de las cuentas', owner: 'Alfonso Medina', due: '2026-07-25' }),
    say('F: Punto 2, aplicación del resultado: cinco millones a reservas voluntarias y dos a dividendos.'),
    fill('00:52:00', 'F H M A G C', [
      'El beneficio del ejercicio fue de siete millones de euros.',
      'Dos millones en dividendos suponen veinte céntimos por acción.',
      'Las reservas voluntarias financiarán parte de la planta de Lorca.',
    ]),
    decision('F: La aplicación del resultado queda aprobada por unanimidad.', { summary: 'Aplicación del resultado aprobada', outcome: 'approved', vote: unanimous, item: 2 }),
    say('F: Punto 3, gestión del órgano de administración durante el ejercicio.'),
    fill('01:10:00', 'F R E P H', [
      'El consejo se reunió once veces durante el ejercicio.',
      'Se cumplieron los objetivos de potencia instalada del plan estratégico.',
      'Hubo un retraso de cuatro meses en la conexión a red de la planta de Hellín.',
    ]),
    decision('F: La gestión del órgano de administración queda aprobada por unanimidad.', { summary: 'Gestión social aprobada', outcome: 'approved', vote: unanimous, item: 3 }),
    say('F: Punto 4, reelección del auditor de cuentas, Castell y Asociados, por tres años.'),
    fill('01:30:00', 'F E A G C M', [
      'Castell y Asociados audita la sociedad desde 2020.',
      'Los honorarios de auditoría suben un ocho por ciento por la consolidación de filiales.',
      'Algunos accionistas preferirían rotar de auditor para ganar independencia.',
    ]),
    decision('F: Queda aprobada la reelección del auditor con 7 votos a favor, 2 en contra. En contra: Enrique Soto y Adriana Vázquez.', {
      summary: 'Auditor reelegido',
      outcome: 'approved',
      vote: counted(7, 2, null, { against: ['Enrique Soto', 'Adriana Vázquez'] }),
      item: 4,
    }),
    say('F: Punto 5, ampliación de capital con aportaciones dinerarias por importe de ocho millones de euros.'),
    fill('02:05:00', 'F H M R E A G P C', [
      'La ampliación financiaría dos parques solares de cincuenta megavatios.',
      'El precio de emisión sería de tres euros con veinte por acción.',
      'El fondo Horizonte se ha comprometido a suscribir la mitad de la ampliación.',
      'Con deuda bancaria el proyecto costaría casi un uno por ciento más de interés.',
    ]),
    over('R: Pero con esta ampliación los minoritarios nos diluimos casi un quince por ciento.'),
    over('H: Rocío, tenéis derecho de suscripción preferente.'),
    over('R: Que no podemos ejercer con esos importes.'),
    fill('02:20:00', 'R H F P C', [
      'La dilución para quien no suscriba sería de casi el quince por ciento.',
      'Un préstamo verde del banco europeo podría cubrir parte de la inversión.',
    ]),
    decision('F: La ampliación de capital queda rechazada, con 3 votos a favor y 6 en contra.', { summary: 'Ampliación de capital rechazada', outcome: 'rejected', vote: counted(3, 6, null), item: 5 }),
    action('F: Héctor Ramos se encarga de preparar una propuesta alternativa de financiación para el 30 de septiembre.', { summary: 'Propuesta alternativa de financiación', owner: 'Héctor Ramos', due: '2026-09-30' }),
    say('F: Punto 6, modificación de los estatutos sociales para permitir la asistencia telemática.'),
    fill('02:45:00', 'F S M G P', [
      'La asistencia telemática ya se usó en la pandemia con un decreto temporal.',
      'El texto del nuevo artículo doce no llegó a los accionistas con un mes de antelación.',
      'El notario recomienda convocar de nuevo con el texto íntegro.',
    ]),
    decision('F: Como el texto definitivo no se ha distribuido con la antelación legal, la modificación de los estatutos queda aplazada a una junta extraordinaria.', {
      summary: 'Modificación de estatutos aplazada',
      outcome: 'postponed',
      vote: notStated,
      item: 6,
    }),
    say('F: Pasamos a asuntos varios.'),
    say('P: Quería preguntar por la política de patrocinios deportivos, que no aparece en la memoria.'),
    fill('02:58:00', 'P F H', [
      'El patrocinio del club de baloncesto cuesta sesenta mil euros al año.',
    ]),
    say('F: Sin más asuntos que tratar, se levanta la sesión. Muchas gracias.'),
  ],
};
