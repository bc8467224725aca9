import { action, decision, fill, notStated, over, say, type CaseSource } from '../script.js';

/** A 10-minute team sync: no chair, no secretary, no quorum, people talking over each other. */
export const brGeneralTeamSync: CaseSource = {
  meeting: {
    id: 'br-general-team-sync',
    description: 'Reunião de equipe, 10 min: sem presidente, sem secretário e sem quórum (todos nulos na chave), decisão sem votação declarada, tarefa sem prazo, assunto fora da pauta, muitas falas sobrepostas, um convidado ausente.',
    topic: 'Sync semanal do time de produto',
    language: 'pt-BR',
    kind: 'general',
    startTime: '2026-06-03T14:00:00-03:00',
    timeZone: 'America/Sao_Paulo',
    durationMinutes: 10,
    agenda: ['Status do lançamento do aplicativo', 'Bugs críticos da versão beta', 'Escala de férias de julho'],
    participants: [
      { name: 'Bruna Ventura', email: 'bruna@produto.example.com' },
      { name: 'Caio Ramalho', email: 'caio@produto.example.com' },
      { name: 'Diego Sato', email: 'diego@produto.example.com' },
      { name: 'Elisa Monteiro', email: 'elisa@produto.example.com' },
      { name: 'Fábio Krause', email: 'fabio@produto.example.com' },
    ],
  },
  people: { B: 'Bruna Ventura', C: 'Caio Ramalho', D: 'Diego Sato', E: 'Elisa Monteiro' },
  key: {
    chair: null,
    secretary: null,
    present: ['Bruna Ventura', 'Caio Ramalho', 'Diego Sato', 'Elisa Monteiro'],
    absent: ['Fábio Krause'],
    quorum: null,
    agenda: { discussed: [1, 2, 3], notDiscussed: [], offAgenda: 1 },
  },
  script: [
    say('D: Oi, gente, vamos lá? O Fábio avisou que não vem, está no médico.'),
    say('E: Bora. Status do lançamento do aplicativo: a loja ainda não liberou a revisão.'),
    over('B: E nem vai liberar com aquele crash no login.'),
    over('C: Exato.'),
    fill('00:03:00', 'E B C D', [
      'A Apple pediu também uma nova captura de tela da tela de pagamento.',
      'O marketing já tinha agendado a campanha para o dia 15.',
    ]),
    decision('D: Então está aprovado: o lançamento passa do dia 15 para o dia 22.', { summary: 'Lançamento remarcado para o dia 22', outcome: 'approved', vote: notStated, item: 1 }),
    say('D: Bugs críticos da versão beta. Quantos ainda estão abertos?'),
    say('B: Três. O do login é o pior, os outros dois são de layout no Android antigo.'),
    action('D: A Bruna fica responsável por corrigir o crash do login até quinta-feira.', { summary: 'Corrigir o crash do login', owner: 'Bruna Ventura', due: '2026-06-04' }),
    over('B: Fechado.'),
    action('D: E o Caio fica responsável por revisar os testes de regressão.', { summary: 'Revisar os testes de regressão', owner: 'Caio Ramalho', due: null }),
    fill('00:06:30', 'B C E', [
      'Os dois bugs de layout aparecem só no Android 9 e 10.',
      'Eu consigo reproduzir o crash do login em qualquer aparelho com a conta do Google.',
    ]),
    say('D: Escala de férias de julho: quem ainda não marcou?'),
    over('E: Eu não.'),
    over('C: Nem eu.'),
    action('D: Eu envio a planilha de férias até o fim do mês, aí cada um preenche.', { summary: 'Planilha de férias', owner: 'Diego Sato', due: '2026-06-30' }),
    say('E: Uma coisa fora da pauta: o ar-condicionado da sala três está pingando em cima das mesas.'),
    fill('00:09:20', 'E D B', [
      'Já abri um chamado com a manutenção predial ontem.',
    ]),
    say('D: Beleza, obrigado, pessoal. Até semana que vem.'),
  ],
};
