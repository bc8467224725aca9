import { action, decision, fill, notStated, over, say, type CaseSource } from '../script.js';

const owners = [
  ['Roberto Salles', 'roberto.salles'],
  ['Tânia Moura', 'tania.moura'],
  ['Gilberto Nunes', 'gilberto.nunes'],
  ['Vera Campos', 'vera.campos'],
  ['Otávio Reis', 'otavio.reis'],
  ['Sônia Albuquerque', 'sonia.albuquerque'],
  ['Wagner Pires', 'wagner.pires'],
  ['Denise Carvalho', 'denise.carvalho'],
  ['Hugo Bittencourt', 'hugo.bittencourt'],
  ['Lúcia Ferraz', 'lucia.ferraz'],
  ['Mauro Teixeira', 'mauro.teixeira'],
  ['Priscila Antunes', 'priscila.antunes'],
].map(([name, user]) => ({ name: name!, email: `${user}@residencialipes.example.com` }));

const present = ['Roberto Salles', 'Tânia Moura', 'Gilberto Nunes', 'Vera Campos', 'Otávio Reis'];

/** A condominium assembly that fails its quorum: the chair comes from the settings, nobody says who takes the minutes, the vote is postponed. */
export const brCondoNoQuorum: CaseSource = {
  meeting: {
    id: 'br-condo-no-quorum',
    description: 'Assembleia de condomínio, 25 min: quórum não atingido (5 de 12, metade exigida), síndico como presidente pelas configurações, sem secretário (nulo), votação adiada, item não discutido, assuntos gerais, falas sobrepostas.',
    topic: 'Assembleia geral extraordinária: Condomínio Residencial Ipês',
    language: 'pt-BR',
    kind: 'condominium',
    startTime: '2026-04-28T19:30:00-03:00',
    timeZone: 'America/Sao_Paulo',
    durationMinutes: 25,
    agenda: ['Prestação de contas de 2025', 'Reforma da fachada e rateio da obra', 'Regras de uso do salão de festas'],
    participants: [...owners, { name: 'Luciana Duarte', email: 'luciana@administradora-alfa.example.com' }],
    members: owners,
    quorum: { rule: 'fraction', fraction: 0.5 },
    chair: 'Roberto Salles',
  },
  people: { R: 'Roberto Salles', T: 'Tânia Moura', G: 'Gilberto Nunes', V: 'Vera Campos', O: 'Otávio Reis', L: 'Luciana Duarte' },
  key: {
    chair: 'Roberto Salles',
    secretary: null,
    present: [...present, 'Luciana Duarte'],
    absent: owners.map((owner) => owner.name).filter((name) => !present.includes(name)),
    quorum: { expected: 12, required: 6, present: 5, met: false },
    agenda: { discussed: [1, 2], notDiscussed: [3], offAgenda: 1 },
  },
  script: [
    say('R: Boa noite, pessoal. Vamos esperar mais dois minutinhos para ver se chega mais alguém.'),
    say('R: Bom, são sete e trinta e cinco. Eu sou o Roberto, síndico, e conduzo a assembleia. A Luciana, da administradora, está conosco.'),
    say('L: Boa noite. Estão presentes: Roberto Salles, Tânia Moura, Gilberto Nunes, Vera Campos e Otávio Reis.'),
    say('L: O edital exige a presença de metade dos condôminos para votar a obra. Temos cinco de doze unidades, então não há quórum para deliberar.'),
    over('G: De novo? É a terceira vez que isso acontece.'),
    over('T: Pois é, ninguém vem.'),
    say('R: Mesmo assim dá para apresentar as contas. Prestação de contas de 2025, Luciana.'),
    say('L: O condomínio fechou o ano com superávit de dezoito mil reais, e o fundo de reserva está em cento e dez mil.'),
    fill('00:09:00', 'L R T G V', [
      'As despesas com água subiram vinte por cento depois do reajuste da concessionária.',
      'A conta de energia caiu com a troca das lâmpadas da garagem por LED.',
      'Três unidades estão com mais de seis meses de atraso nas cotas.',
    ]),
    say('R: Agora a reforma da fachada e o rateio da obra, que era o motivo principal da assembleia.'),
    say('V: Eu queria saber por que o orçamento mais barato foi descartado.'),
    fill('00:15:00', 'R V O T G L', [
      'O orçamento mais barato não incluía a troca das pastilhas soltas da fachada.',
      'A obra da fachada levaria uns quatro meses, com andaimes em todos os lados do prédio.',
      'O rateio seria de oito parcelas de trezentos e vinte reais por apartamento.',
      'A prefeitura já notificou o condomínio por causa das pastilhas que caíram na calçada.',
    ]),
    over('O: Mas isso não resolve a infiltração do meu apartamento!'),
    over('V: Otávio, deixa ele terminar, por favor.'),
    decision('R: Sem quórum, a votação da reforma da fachada fica adiada para uma nova assembleia, com segunda convocação.', { summary: 'Reforma da fachada adiada por falta de quórum', outcome: 'postponed', vote: notStated, item: 2 }),
    action('R: A Luciana fica responsável por enviar a nova convocação até 15/05.', { summary: 'Nova convocação', owner: 'Luciana Duarte', due: '2026-05-15' }),
    say('R: Antes de encerrar, assuntos gerais. Alguém tem alguma coisa?'),
    say('T: Tenho. O barulho da obra do apartamento 302 começa antes das oito da manhã, inclusive no sábado.'),
    fill('00:23:00', 'T R G L', [
      'A lei do silêncio do prédio permite obra só das nove às dezessete horas em dias úteis.',
      'O morador do 302 disse que a reforma termina em três semanas.',
    ]),
    action('T: Eu envio as fotos e os horários anotados para a administradora até sexta-feira.', { summary: 'Fotos e horários do barulho da obra', owner: 'Tânia Moura', due: '2026-05-01' }),
    say('R: Obrigado, Tânia. Então está encerrada a assembleia. Boa noite a todos.'),
  ],
};
