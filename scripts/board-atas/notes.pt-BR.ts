import type { MinutesNotes } from '../../src/modules/minutes/minutes.notes.js';
import { turn, votes } from './meeting.js';

/** What a good language model returns for the board meeting's transcript, asked for a pt-BR ata. */
export const notesPtBR: MinutesNotes = {
  title: 'Reunião Ordinária de Julho de 2026',
  presiding: 'Helena Prado',
  presidingSourceTurn: turn.chairPresides,
  secretary: 'Ricardo Menezes',
  secretarySourceTurn: turn.secretaryActs,
  attendees: [
    { name: 'Helena Prado', role: 'Presidente do Conselho' },
    { name: 'Marcos Tavares', role: 'Conselheiro' },
    { name: 'Beatriz Lins', role: 'Conselheira' },
    { name: 'Paulo Azevedo', role: 'Conselheiro' },
    { name: 'Camila Rocha', role: 'Conselheira' },
    { name: 'Fernando Quintela', role: 'Conselheiro' },
    { name: 'Ricardo Menezes', role: 'Secretário da reunião' },
    { name: 'André Figueiredo', role: 'Diretor-Presidente, convidado' },
    { name: 'Juliana Costa', role: 'Diretora Financeira, convidada' },
  ],
  agenda: [
    {
      agendaItem: 1,
      title: 'Ata da reunião anterior',
      discussion:
        'A Presidente submeteu à apreciação do Conselho a minuta da ata da reunião ordinária de maio, circulada aos conselheiros com dez dias de antecedência, e informou que os comentários de redação apresentados pelo conselheiro Marcos Tavares, relativo ao prazo do financiamento, e pela conselheira Beatriz Lins, relativo à composição do Comitê de Auditoria, foram incorporados pela secretaria, o que ambos confirmaram. Não houve outras observações.',
    },
    {
      agendaItem: 2,
      title: 'Resultados do 2º trimestre',
      discussion: [
        'A Diretora Financeira, Juliana Costa, apresentou os resultados do segundo trimestre. A receita líquida atingiu R$ 312 milhões, com crescimento de 11% em relação ao mesmo trimestre do ano anterior, impulsionada pela armazenagem, que cresceu 18% com a entrada de dois novos clientes do varejo farmacêutico; o transporte rodoviário cresceu 4%, abaixo do orçamento, em razão da queda de volume do agronegócio em abril e maio. O EBITDA ajustado foi de R$ 58 milhões, com margem de 18,6% (17,1% no ano anterior), em razão da renegociação dos contratos de frete de retorno e da redução do custo de combustível por quilômetro, parcialmente compensadas pelo aumento das despesas com pessoal decorrente do dissídio e das contratações antecipadas para o centro de distribuição de Cajamar, que começa a faturar em setembro. O lucro líquido foi de R$ 21 milhões, estável em relação ao trimestre anterior, com despesa de juros de R$ 14 milhões.',
        'A dívida líquida encerrou junho em R$ 210 milhões, equivalente a 1,08 vez o EBITDA dos últimos doze meses, com folga em relação ao limite de 2,5 vezes previsto nas escrituras das debêntures; a geração de caixa operacional foi de R$ 44 milhões e o caixa encerrou o período em R$ 96 milhões. Por segmento, a armazenagem registrou receita de R$ 148 milhões, margem EBITDA de 24% e ocupação média recorde de 92%; o transporte, receita de R$ 139 milhões e margem de 12%, pressionada pelo custo de manutenção de uma frota com idade média de seis anos e meio, cujo plano de renovação terá efeito a partir do quarto trimestre; e a logística integrada, receita de R$ 25 milhões e margem de 6%, com expectativa de 10% no próximo ano. Os investimentos do semestre somaram R$ 38 milhões, dentro do orçamento do exercício.',
        'Em resposta ao conselheiro Marcos Tavares, a Diretora Financeira esclareceu que o aumento do prazo médio de recebimento, de 42 para 51 dias, decorre do alongamento dos pagamentos de dois grandes clientes do varejo, um dos quais já aceitou retornar a 45 dias a partir de agosto; o conselheiro ressaltou o efeito de cerca de R$ 30 milhões sobre o capital de giro, e o Diretor-Presidente, André Figueiredo, informou a criação de um comitê semanal de crédito e cobrança, cuja evolução apresentará na próxima reunião. À conselheira Beatriz Lins, a Diretora Financeira informou que o aumento da provisão para contingências trabalhistas decorre de ação coletiva do sindicato dos motoristas de Campinas relativa a horas de espera, avaliada pelos advogados externos como de perda possível, com provisão de R$ 3,2 milhões para a parcela de perda provável. Ao conselheiro Paulo Azevedo, confirmou a projeção de crescimento de receita de 9% a 12% para o exercício e de margem EBITDA entre 18% e 19%. À conselheira Camila Rocha, o Diretor-Presidente informou que a implantação do sistema de gestão de armazéns sofreu atraso de cerca de seis semanas na migração dos dados do segundo armazém, com conclusão prevista para outubro e sem alteração do orçamento total do projeto.',
        'Os resultados foram examinados pelo Conselho, e o Comitê de Auditoria concluirá a revisão das demonstrações financeiras trimestrais antes da sua divulgação.',
      ].join('\n\n'),
    },
    {
      agendaItem: 3,
      title: 'Orçamento de investimentos do centro de distribuição de Extrema (MG)',
      discussion: [
        'O Diretor-Presidente apresentou a proposta de construção de um centro de distribuição de 32.000 m² em Extrema (MG), em terreno de 80.000 m² próximo à rodovia Fernão Dias, com possibilidade de expansão em segunda fase, motivada pela ocupação de 94% da capacidade de armazenagem no eixo São Paulo e Sul de Minas e pela perda de duas concorrências no primeiro semestre por falta de espaço. O investimento da primeira fase é de R$ 48 milhões, dos quais R$ 31 milhões em obra civil, R$ 9 milhões em equipamentos de movimentação e sistemas e R$ 8 milhões no terreno, com início das obras em outubro e operação a partir do segundo semestre do próximo ano; cartas de intenção de três clientes correspondem a cerca de 60% da área. Entre as quatro alternativas avaliadas (Extrema, Pouso Alegre, Jundiaí e Louveira), Extrema prevaleceu pelos incentivos fiscais do Estado de Minas Gerais, pelo custo do terreno cerca de 30% inferior e pelo acesso à rodovia Fernão Dias, conforme o estudo comparativo do Anexo 2. A Diretora Financeira informou taxa interna de retorno real de 17%, frente a custo de capital de 11%, payback de seis anos e meio, financiamento de 60% por linha do BNDES, já em análise, e de 40% com caixa próprio, e alavancagem máxima projetada de 1,6 vez o EBITDA ao final do próximo ano.',
        'Indagado pelo conselheiro Paulo Azevedo sobre a sensibilidade do retorno a uma ocupação mais lenta, o Diretor-Presidente informou que, no cenário pessimista do Anexo 3, com ocupação de 70% somente no terceiro ano, a taxa interna de retorno seria de 12,8%, ainda acima do custo de capital. O conselheiro Marcos Tavares propôs condicionar o desembolso da obra civil à aprovação do financiamento do BNDES, o que a Diretora Financeira considerou viável, podendo o terreno e os projetos executivos ser pagos com caixa próprio. Em resposta à conselheira Camila Rocha, o Diretor-Presidente informou que o laudo ambiental preliminar não identificou passivo, mas que a due diligence ambiental completa ainda não foi realizada; a conselheira Beatriz Lins propôs que esta seja condição também para a compra do terreno, no que foi acompanhada pela Presidente.',
        'Antes da votação, o conselheiro Fernando Quintela, conforme antecipara no início da reunião, declarou-se impedido por conflito de interesses, por ser acionista minoritário da Quintela Distribuidora, uma das signatárias das cartas de intenção, e absteve-se de votar, o que o Secretário registrou. Ao votar, o conselheiro Paulo Azevedo recomendou que a Diretoria apresente trimestralmente o andamento da ocupação do empreendimento.',
      ].join('\n\n'),
    },
    {
      agendaItem: 4,
      title: 'Juros sobre capital próprio',
      discussion:
        'A Diretora Financeira apresentou a proposta da Diretoria de declaração de juros sobre capital próprio no valor bruto de R$ 12.500.000,00, correspondente a aproximadamente R$ 0,19 por ação, imputados ao dividendo mínimo obrigatório do exercício, dentro do limite legal calculado pela aplicação da Taxa de Juros de Longo Prazo ao patrimônio líquido, com benefício fiscal estimado em R$ 4,2 milhões para a Companhia, data de corte em 15 de agosto, negociação das ações ex-direito a partir de 18 de agosto e pagamento até 30 de dezembro. A conselheira Beatriz Lins informou que o Comitê de Auditoria examinou a proposta e o cálculo do limite dedutível, não tem objeções e recomenda a sua aprovação. Em resposta ao conselheiro Marcos Tavares, a Diretora Financeira esclareceu que, considerados o pagamento dos juros sobre capital próprio e a parcela de caixa próprio do projeto de Extrema, o caixa mínimo projetado é de R$ 60 milhões, acima do mínimo de R$ 45 milhões previsto na política de caixa.',
    },
    {
      agendaItem: 5,
      title: 'Gestão de riscos e segurança da informação',
      discussion: [
        'A conselheira Camila Rocha, que coordena o tema pelo Comitê de Riscos, relatou que, em junho, uma tentativa de invasão por phishing comprometeu a conta de e-mail de um analista da área comercial; o acesso foi bloqueado em quarenta minutos, não houve acesso a dados pessoais de clientes nem a sistemas financeiros e, segundo o encarregado de dados, não há necessidade de comunicação à Autoridade Nacional de Proteção de Dados. O incidente evidenciou que a autenticação em dois fatores não era obrigatória para todos os usuários e que o treinamento de conscientização está atrasado nas filiais. Relatou ainda que o teste de intrusão externo, concluído em julho, identificou onze vulnerabilidades, nenhuma crítica e duas de severidade alta, já corrigidas, com plano de correção das demais até o fim de setembro, e que o seguro de riscos cibernéticos foi renovado em junho, com cobertura de R$ 20 milhões, tendo a seguradora exigido, para a próxima renovação, a comprovação do treinamento de todos os colaboradores.',
        'O Diretor-Presidente informou que a autenticação em dois fatores é obrigatória para todos os colaboradores desde 1º de julho, com adesão de 97%, estando em revisão as contas de serviço restantes. O conselheiro Paulo Azevedo sugeriu a realização, ainda neste exercício, de uma simulação de ataque com a Diretoria, em vista dos incidentes de ransomware ocorridos em empresas do setor, e a conselheira Camila Rocha propôs revisar a política de riscos cibernéticos, de 2022, e atualizar a matriz de riscos para incluir a dependência de fornecedores de tecnologia. A conselheira Beatriz Lins informou que o Comitê de Auditoria incluirá os controles de acesso no escopo da auditoria interna do segundo semestre.',
      ].join('\n\n'),
    },
    {
      agendaItem: 6,
      title: 'Assuntos gerais',
      discussion:
        'O conselheiro Marcos Tavares lembrou que o mandato do auditor independente vence no próximo ano e que, em razão da rotação obrigatória, o processo de seleção deve começar no último trimestre; a conselheira Beatriz Lins informou que o tema consta do plano do Comitê de Auditoria. O conselheiro Fernando Quintela agradeceu à Diretoria pela antecedência e pela qualidade do material da reunião. O Secretário lembrou que, em razão da deliberação sobre juros sobre capital próprio, a ata desta reunião deve ser registrada na Junta Comercial em até trinta dias, e que será assinada eletronicamente pela Presidente e pelo Secretário. A próxima reunião ordinária foi marcada para 24 de setembro, às 9 horas, no mesmo formato.',
    },
  ],
  decisions: [
    {
      text: 'Aprovar a ata da reunião ordinária do Conselho de Administração realizada em maio, na forma da minuta circulada, com os comentários de redação incorporados.',
      proposedBy: null,
      outcome: 'approved',
      vote: votes.unanimous,
      agendaItem: 1,
      sourceTurn: turn.mayMinutesApproved,
    },
    {
      text: 'Tomar conhecimento dos resultados do segundo trimestre apresentados pela Diretoria, ficando a revisão das demonstrações financeiras trimestrais a cargo do Comitê de Auditoria, antes da sua divulgação.',
      proposedBy: null,
      outcome: 'no_vote',
      vote: votes.none,
      agendaItem: 2,
      sourceTurn: turn.quarterReviewed,
    },
    {
      text: 'Aprovar o orçamento de investimentos de R$ 48.000.000,00 (quarenta e oito milhões de reais) para a primeira fase do centro de distribuição de Extrema (MG), ficando a aquisição do terreno condicionada à conclusão de due diligence ambiental sem ressalvas relevantes e o início da obra civil condicionado à aprovação do financiamento do BNDES.',
      proposedBy: 'Diretoria',
      outcome: 'approved',
      vote: votes.extrema,
      agendaItem: 3,
      sourceTurn: turn.extremaApproved,
    },
    {
      text: 'Incluir o acompanhamento da ocupação do centro de distribuição de Extrema como item permanente da pauta das reuniões trimestrais do Conselho, a partir de novembro.',
      proposedBy: 'Paulo Azevedo',
      outcome: 'no_vote',
      vote: votes.none,
      agendaItem: 3,
      sourceTurn: turn.occupancyOnAgenda,
    },
    {
      text: 'Aprovar a declaração de juros sobre capital próprio no valor bruto de R$ 12.500.000,00 (doze milhões e quinhentos mil reais), imputados ao dividendo mínimo obrigatório do exercício, com data de corte em 15 de agosto e pagamento até 30 de dezembro.',
      proposedBy: 'Diretoria',
      outcome: 'approved',
      vote: votes.unanimous,
      agendaItem: 4,
      sourceTurn: turn.interestOnEquityApproved,
    },
  ],
  actionItems: [
    { owner: 'Ricardo Menezes', task: 'Colher as assinaturas digitais da ata da reunião de maio.', due: 'ainda esta semana', sourceTurn: turn.mayMinutesSignatures },
    { owner: 'André Figueiredo', task: 'Apresentar a evolução do prazo médio de recebimento e do comitê de crédito e cobrança.', due: 'na próxima reunião', sourceTurn: turn.receivablesFollowUp },
    { owner: 'Comitê de Auditoria', task: 'Concluir a revisão das demonstrações financeiras do segundo trimestre antes da divulgação.', due: 'antes da divulgação', sourceTurn: turn.quarterReviewed },
    { owner: 'André Figueiredo', task: 'Contratar a due diligence ambiental do terreno de Extrema, após cotação com três consultorias.', due: 'até 31/08/2026', sourceTurn: turn.environmentalDueDiligence },
    { owner: 'Juliana Costa', task: 'Enviar ao Conselho o cronograma físico-financeiro de desembolso de Extrema, separando caixa próprio e financiamento do BNDES.', due: 'até 15/08/2026', sourceTurn: turn.disbursementSchedule },
    { owner: 'Ricardo Menezes', task: 'Publicar o aviso aos acionistas e a comunicação ao mercado sobre os juros sobre capital próprio.', due: 'até 02/08/2026', sourceTurn: turn.interestOnEquityNotice },
    { owner: 'Camila Rocha', task: 'Revisar a política de riscos cibernéticos com a diretoria de tecnologia, incluindo a simulação de ataque, e apresentar a proposta ao Conselho.', due: 'até 30/09/2026', sourceTurn: turn.cyberPolicyReview },
    { owner: 'Beatriz Lins', task: 'Apresentar o relatório do Comitê de Auditoria sobre controles internos, incluindo os controles de acesso.', due: 'em 24/09/2026', sourceTurn: turn.internalControlsReport },
    { owner: 'Beatriz Lins', task: 'Apresentar a proposta de termo de referência para a seleção do auditor independente.', due: 'em outubro', sourceTurn: turn.auditorSelection },
    { owner: 'Ricardo Menezes', task: 'Registrar a ata desta reunião na Junta Comercial.', due: 'em até trinta dias', sourceTurn: turn.boardOfTradeFiling },
    { owner: 'Ricardo Menezes', task: 'Circular a minuta desta ata e enviá-la para assinatura eletrônica da Presidente e do Secretário.', due: 'em até cinco dias úteis', sourceTurn: turn.minutesDraft },
  ],
};
