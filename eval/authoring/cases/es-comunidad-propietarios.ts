import { action, counted, decision, fill, notStated, over, say, unanimous, type CaseSource } from '../script.js';

const owners = [
  'Rosa Delgado', 'Manuel Ortega', 'Pilar Serrano', 'Francisco Gil', 'Teresa Molina', 'Raúl Domínguez', 'Marta Iglesias',
  'Jorge Cabrera', 'Nuria Prieto', 'Ignacio Romero', 'Beatriz Fuentes', 'Óscar León', 'Inés Pascual', 'Tomás Vega',
  'Silvia Marín', 'Alberto Crespo', 'Eva Santana', 'Luis Benítez', 'Clara Reyes', 'Pablo Ibáñez',
].map((name) => ({ name, email: `${name.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase().replace(' ', '.')}@calle-olmo-14.example.com` }));
const present = ['Rosa Delgado', 'Manuel Ortega', 'Pilar Serrano', 'Francisco Gil', 'Teresa Molina', 'Raúl Domínguez', 'Marta Iglesias', 'Jorge Cabrera', 'Nuria Prieto', 'Ignacio Romero', 'Beatriz Fuentes'];

/** A Spanish owners' community: the administrator takes the minutes, a postponement without a vote, a counted rejection, asuntos varios. */
export const esComunidadPropietarios: CaseSource = {
  meeting: {
    id: 'es-comunidad-propietarios',
    description: 'Junta de propietarios, 50 min: la presidenta da la palabra (presidenta por la transcripción), el administrador levanta el acta, quórum 11 de 20 (mitad), derrama aprobada por unanimidad, punto aplazado sin votación, propuesta rechazada con abstención nombrada, asuntos varios, discusión acalorada con voces superpuestas.',
    topic: 'Comunidad de Propietarios Calle del Olmo 14: junta ordinaria',
    language: 'es',
    kind: 'condominium',
    startTime: '2026-10-22T19:00:00+02:00',
    timeZone: 'Europe/Madrid',
    durationMinutes: 50,
    agenda: ['Estado de cuentas del ejercicio', 'Derrama para la sustitución del ascensor', 'Cambio de empresa de limpieza', 'Instalación de cargadores de coches eléctricos en el garaje'],
    participants: [...owners, { name: 'Gonzalo Ferrer', email: 'gonzalo@fincas-ferrer.example.com' }],
    members: owners,
    quorum: { rule: 'fraction', fraction: 0.5 },
  },
  people: { R: 'Rosa Delgado', M: 'Manuel Ortega', P: 'Pilar Serrano', F: 'Francisco Gil', T: 'Teresa Molina', D: 'Raúl Domínguez', I: 'Marta Iglesias', J: 'Jorge Cabrera', N: 'Nuria Prieto', G: 'Gonzalo Ferrer' },
  key: {
    chair: 'Rosa Delgado',
    secretary: 'Gonzalo Ferrer',
    present: [...present, 'Gonzalo Ferrer'],
    absent: owners.map((owner) => owner.name).filter((name) => !present.includes(name)),
    quorum: { expected: 20, required: 10, present: 11, met: true },
    agenda: { discussed: [1, 2, 3, 4], notDiscussed: [], offAgenda: 1 },
  },
  script: [
    say('R: Buenas tardes, vecinos. Vamos a empezar, que ya pasan cinco minutos.'),
    say('G: Buenas tardes. Como administrador, yo levanto el acta de esta junta.'),
    say('G: Están presentes: Rosa Delgado, Manuel Ortega, Pilar Serrano, Francisco Gil, Teresa Molina, Raúl Domínguez, Marta Iglesias, Jorge Cabrera, Nuria Prieto, Ignacio Romero y Beatriz Fuentes. Son once de veinte propietarios, hay quórum.'),
    say('R: Gracias, Gonzalo. Punto 1, estado de cuentas del ejercicio. Doy la palabra al administrador.'),
    say('G: El ejercicio cierra con un saldo de nueve mil cuatrocientos euros y cuatro recibos pendientes.'),
    fill('00:10:00', 'G R M P F', [
      'El gasto en electricidad subió un doce por ciento por la nueva tarifa.',
      'El seguro de la comunidad se renovó con la misma compañía y un tres por ciento más.',
    ]),
    say('R: Punto 2, la derrama para la sustitución del ascensor. Son seis cuotas de doscientos diez euros por vivienda.'),
    fill('00:19:00', 'R T D I J G', [
      'El ascensor tiene veintiocho años y ya no hay piezas de recambio.',
      'La empresa de mantenimiento avisó de que no pasará la próxima inspección.',
      'Con el nuevo ascensor bajaría también la factura de la luz.',
      'Algunos vecinos mayores no pueden pagar la derrama de golpe.',
    ]),
    decision('R: La derrama para el ascensor queda aprobada por unanimidad de los presentes.', { summary: 'Derrama del ascensor aprobada', outcome: 'approved', vote: unanimous, item: 2 }),
    action('G: Me encargo de pedir los tres presupuestos definitivos del ascensor para el 30 de noviembre.', { summary: 'Presupuestos del ascensor', owner: 'Gonzalo Ferrer', due: '2026-11-30' }),
    say('R: Punto 3, cambio de empresa de limpieza.'),
    say('I: La empresa actual no limpia los cristales del portal desde el verano.'),
    over('F: ¡Ni la escalera B!'),
    over('N: Eso no es verdad, la escalera B se limpia los martes.'),
    over('R: Por favor, de uno en uno.'),
    fill('00:29:00', 'I F N R G', [
      'La empresa actual cobra ochocientos euros al mes por cuatro días de limpieza.',
      'Limpiezas Brillo ofrece cinco días por setecientos cincuenta.',
      'Falta la oferta de la segunda empresa, que iba a llegar esta semana.',
    ]),
    decision('R: Como falta la oferta de la segunda empresa, el cambio de empresa de limpieza queda aplazado a la próxima junta.', { summary: 'Cambio de empresa de limpieza aplazado', outcome: 'postponed', vote: notStated, item: 3 }),
    say('R: Punto 4, instalación de cargadores de coches eléctricos en el garaje.'),
    say('J: Yo tengo coche eléctrico y ahora mismo cargo con un cable desde mi trastero, lo cual no es seguro.'),
    fill('00:41:00', 'J M P D T G', [
      'Una instalación comunitaria costaría unos cuarenta mil euros.',
      'Cada vecino puede poner su propio cargador con solo comunicarlo a la comunidad.',
      'La potencia contratada del garaje no aguanta más de seis cargadores a la vez.',
      'Solo cuatro vecinos tienen coche eléctrico ahora mismo.',
    ]),
    decision('R: La instalación comunitaria de cargadores queda rechazada: 3 votos a favor, 7 en contra y 1 abstención, abstención de Teresa Molina.', {
      summary: 'Cargadores comunitarios rechazados',
      outcome: 'rejected',
      vote: counted(3, 7, 1, { abstaining: ['Teresa Molina'] }),
      item: 4,
    }),
    say('R: Asuntos varios. ¿Alguien?'),
    say('P: Sí, el ruido de la terraza del ático los fines de semana, hasta las tres de la mañana.'),
    fill('00:48:00', 'P R M D', [
      'El ático alquila la terraza para fiestas por una aplicación.',
      'Los estatutos prohíben el uso comercial de las viviendas.',
    ]),
    action('R: Me encargo de hablar con los vecinos del ático para el viernes.', { summary: 'Hablar con los vecinos del ático', owner: 'Rosa Delgado', due: '2026-10-23' }),
    say('R: Sin más asuntos, se levanta la junta. Buenas noches.'),
  ],
};
