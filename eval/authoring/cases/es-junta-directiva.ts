import { action, counted, decision, fill, over, say, unanimous, type CaseSource } from '../script.js';

const board = [
  'Álvaro Mendoza', 'Carmen Ruiz', 'Javier Solís', 'Lucía Herrera', 'Sergio Navarro', 'Elena Castillo', 'Andrés Vidal',
].map((name) => ({ name, email: `${name.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase().replace(' ', '.')}@cooperativa-sur.example.com` }));

/** A Spanish board: counted vote 4-2 with names, a rejected proposal, tasks "para el viernes" and "antes del 15 de diciembre". */
export const esJuntaDirectiva: CaseSource = {
  meeting: {
    id: 'es-junta-directiva',
    description: 'Junta directiva, 35 min: presidente y secretaria dichos en la transcripción, votación 4 a favor y 2 en contra con nombres, una propuesta rechazada, una aprobación por unanimidad, asuntos varios, tareas "para el viernes" y "antes del 15 de diciembre", un miembro ausente.',
    topic: 'Cooperativa Agrícola del Sur: reunión de la Junta Directiva',
    language: 'es',
    kind: 'board',
    startTime: '2026-11-10T18:00:00+01:00',
    timeZone: 'Europe/Madrid',
    durationMinutes: 35,
    agenda: ['Lectura y aprobación del acta anterior', 'Precio de liquidación de la aceituna', 'Compra de una nueva envasadora', 'Calendario de la asamblea general'],
    participants: board,
    members: board,
    quorum: { rule: 'majority' },
  },
  people: { A: 'Álvaro Mendoza', C: 'Carmen Ruiz', J: 'Javier Solís', L: 'Lucía Herrera', S: 'Sergio Navarro', E: 'Elena Castillo' },
  key: {
    chair: 'Álvaro Mendoza',
    secretary: 'Carmen Ruiz',
    present: ['Álvaro Mendoza', 'Carmen Ruiz', 'Javier Solís', 'Lucía Herrera', 'Sergio Navarro', 'Elena Castillo'],
    absent: ['Andrés Vidal'],
    quorum: { expected: 7, required: 4, present: 6, met: true },
    agenda: { discussed: [1, 2, 3, 4], notDiscussed: [], offAgenda: 1 },
  },
  script: [
    say('A: Buenas tardes a todos. Son las seis y cinco y declaro abierta la sesión de la Junta Directiva.'),
    say('C: Buenas tardes. Actúo como secretaria de la junta.'),
    say('C: Están presentes: Álvaro Mendoza, Carmen Ruiz, Javier Solís, Lucía Herrera, Sergio Navarro y Elena Castillo. Andrés Vidal ha excusado su asistencia.'),
    say('A: Gracias, Carmen. Punto 1, lectura y aprobación del acta anterior.'),
    decision('A: Si nadie tiene observaciones, el acta anterior queda aprobada por unanimidad.', { summary: 'Acta anterior aprobada', outcome: 'approved', vote: unanimous, item: 1 }),
    say('A: Punto 2, precio de liquidación de la aceituna. Doy la palabra a Javier.'),
    say('J: Gracias. La propuesta es liquidar a tres euros con diez el kilo de aceite, diez céntimos por encima del año pasado.'),
    fill('00:10:00', 'J L S E A', [
      'La campaña cerró con doce millones de kilos de aceituna entregados.',
      'El precio del aceite en origen ha bajado un veinte por ciento desde el verano.',
      'Los costes de la almazara subieron por la electricidad y el gasóleo.',
    ]),
    over('S: Eso es poco para lo que ha subido el gasóleo.'),
    over('J: Lo sé, Sergio, pero no hay más margen.'),
    fill('00:14:00', 'S J E L', [
      'Con tres euros con diez cubrimos costes y dejamos un pequeño fondo.',
    ]),
    decision('A: Queda aprobado el precio de liquidación con 4 votos a favor, 2 en contra. En contra: Sergio Navarro y Elena Castillo.', {
      summary: 'Precio de liquidación aprobado',
      outcome: 'approved',
      vote: counted(4, 2, null, { against: ['Sergio Navarro', 'Elena Castillo'] }),
      item: 2,
    }),
    action('J: Me encargo de comunicar el precio a los socios para el viernes.', { summary: 'Comunicar el precio a los socios', owner: 'Javier Solís', due: '2026-11-13' }),
    say('A: Punto 3, compra de una nueva envasadora. Lucía ha pedido presupuestos.'),
    say('L: La más completa cuesta ciento ochenta mil euros; con la subvención nos quedaría en ciento veinte mil.'),
    fill('00:25:00', 'L A J S E C', [
      'La envasadora actual tiene quince años y se avería cada mes.',
      'La subvención de la Junta cubre un tercio de la inversión.',
      'Con la nueva envasadora podríamos vender aceite embotellado a supermercados.',
      'No hay liquidez para pagar la parte no subvencionada este año.',
    ]),
    decision('A: La compra de la envasadora queda rechazada, con 2 votos a favor, 3 en contra y 1 abstención. Abstención de Lucía Herrera.', {
      summary: 'Compra de la envasadora rechazada',
      outcome: 'rejected',
      vote: counted(2, 3, 1, { abstaining: ['Lucía Herrera'] }),
      item: 3,
    }),
    say('A: Punto 4, calendario de la asamblea general. Proponemos el sábado 19 de diciembre por la mañana.'),
    fill('00:30:00', 'A C E', [
      'El salón de la cooperativa tiene aforo para ciento cincuenta socios.',
      'Conviene que la asamblea sea antes de Navidad.',
    ]),
    action('A: Carmen se encarga de enviar la convocatoria de la asamblea antes del 15 de diciembre.', { summary: 'Convocatoria de la asamblea', owner: 'Carmen Ruiz', due: '2026-12-15' }),
    say('A: Pasamos a asuntos varios. ¿Alguien quiere plantear algo?'),
    say('E: Sí. El camino de acceso a la almazara está lleno de baches y ya hubo un tractor averiado.'),
    fill('00:34:00', 'E A S', [
      'El camino es del ayuntamiento, no de la cooperativa.',
    ]),
    say('A: Tomamos nota. Sin más asuntos, se levanta la sesión. Gracias a todos.'),
  ],
};
