import type { Catalog, DateParts } from './catalog.js';

/** "Aos 9 dias do mês de março de 2027", "Ao 1º dia do mês de março de 2027". */
const daysOf = ({ day, month, year }: DateParts) => (day === 1 ? 'Ao 1º dia' : `Aos ${day} dias`) + ` do mês de ${month} de ${year}`;

/** Who presided and who took the minutes, each only when known. */
const board = (chair: string | null, secretary: string | null) =>
  (chair ? `, sob a presidência de ${chair}` : '') + (secretary ? `, secretariados por ${secretary}` : '');

const drawnUpBy = (secretary: string | null) => (secretary ? `eu, ${secretary}, Secretário(a), lavrei` : 'foi lavrada');

const members = (expected: number) => (expected === 1 ? 'de 1 membro' : `dos ${expected} membros`);

export const ptBR = {
  locale: 'pt-BR',
  modelLanguage: 'Brazilian Portuguese, in the formal style of Brazilian corporate minutes (ata)',
  minutes: {
    openingHeading: 'Abertura',
    date: 'Data',
    time: 'Horário',
    place: 'Local',
    kinds: {
      board: {
        heading: 'ATA DA REUNIÃO DO CONSELHO DE ADMINISTRAÇÃO',
        opening: ({ date, time, place, chair, secretary }) =>
          `${daysOf(date)}, às ${time}, reuniram-se por ${place} os membros do Conselho de Administração abaixo relacionados${board(chair, secretary)}, para deliberar sobre a ordem do dia.`,
        attendance: 'Conselheiros presentes',
        chair: 'Presidente do Conselho',
        secretary: 'Secretário(a)',
        closing: (secretary) =>
          `Nada mais havendo a tratar, foi encerrada a reunião, da qual ${drawnUpBy(secretary)} a presente ata, que, lida e achada conforme, vai assinada pelo(a) Presidente e pelo(a) Secretário(a).`,
      },
      shareholders: {
        heading: 'ATA DA ASSEMBLEIA GERAL',
        opening: ({ date, time, place, chair, secretary }) =>
          `${daysOf(date)}, às ${time}, reuniram-se em Assembleia Geral, por ${place}, os acionistas abaixo relacionados${board(chair, secretary)}, para deliberar sobre a ordem do dia.`,
        attendance: 'Acionistas presentes',
        chair: 'Presidente da Mesa',
        secretary: 'Secretário(a)',
        closing: (secretary) =>
          `Nada mais havendo a tratar, foi encerrada a Assembleia, da qual ${drawnUpBy(secretary)} a presente ata, que, lida e achada conforme, vai assinada pelos membros da Mesa.`,
      },
      condominium: {
        heading: 'ATA DA ASSEMBLEIA GERAL DE CONDÔMINOS',
        opening: ({ date, time, place, chair, secretary }) =>
          `${daysOf(date)}, às ${time}, reuniram-se em Assembleia Geral, por ${place}, os condôminos abaixo relacionados${board(chair, secretary)}, para deliberar sobre a ordem do dia.`,
        attendance: 'Condôminos presentes',
        chair: 'Presidente da Assembleia',
        secretary: 'Secretário(a)',
        closing: (secretary) =>
          `Nada mais havendo a tratar, foi encerrada a Assembleia, da qual ${drawnUpBy(secretary)} a presente ata, que, lida e aprovada, vai assinada pelo(a) Presidente e pelo(a) Secretário(a).`,
      },
      general: {
        heading: 'ATA DA REUNIÃO',
        opening: ({ date, time, place, chair, secretary }) =>
          `No dia ${date.day === 1 ? '1º' : date.day} de ${date.month} de ${date.year}, às ${time}, reuniram-se por ${place} os participantes abaixo relacionados${board(chair, secretary)}, para deliberar sobre a ordem do dia.`,
        attendance: 'Presentes',
        chair: 'Presidente',
        secretary: 'Secretário(a)',
        closing: (secretary) =>
          `Nada mais havendo a tratar, a reunião foi encerrada, e ${secretary ? `eu, ${secretary}, lavrei` : 'foi lavrada'} a presente ata, que, lida e aprovada, vai assinada pelos presentes.`,
      },
    },
    quorum: {
      met: ({ present, expected, required }) =>
        `Verificado o quórum de instalação, com a presença de ${present} ${members(expected)} (mínimo de ${required}), foi declarada instalada a reunião.`,
      notMet: ({ present, expected, required }) =>
        `Não foi atingido o quórum de instalação: estavam presentes ${present} ${members(expected)}, e o mínimo exigido é de ${required}.`,
      warningLabel: 'Atenção:',
      warning: 'esta ata foi sinalizada porque a reunião não atingiu o quórum; as deliberações nela registradas devem ser verificadas antes da assinatura.',
    },
    absent: 'Ausentes',
    guests: 'Participaram também',
    agenda: 'Ordem do dia',
    notDiscussed: 'Item não discutido.',
    otherBusiness: 'Assuntos gerais',
    discussion: 'Discussão',
    decisions: 'Deliberações',
    proposedBy: 'Proposta por',
    vote: 'Votação',
    agendaItem: (number) => `item ${number} da ordem do dia`,
    voting: {
      outcome: { approved: 'aprovada', rejected: 'rejeitada', postponed: 'adiada', no_vote: 'não submetida a votação' },
      method: { unanimous: 'por unanimidade', counted: 'por', acclamation: 'por aclamação', consensus: 'por consenso' },
      inFavour: (count) => `${count} ${count === 1 ? 'voto' : 'votos'} a favor`,
      against: (count) => `${count} contra`,
      abstaining: (count) => `${count} ${count === 1 ? 'abstenção' : 'abstenções'}`,
    },
    actionItems: 'Encaminhamentos',
    actionColumns: ['Responsável', 'Tarefa', 'Prazo', 'Ref.'],
    noDueDate: 'a definir',
    reference: { recording: (time) => `gravação, ${time}`, turn: (ordinal) => `turno ${ordinal}` },
    closing: 'Encerramento',
    none: 'Nenhuma registrada.',
    platform: { zoom: 'videoconferência (Zoom)', unknown: 'meio não informado' },
  },
  pdf: {
    page: (page, total) => `Página ${page} de ${total}`,
    signatures: 'Assinaturas',
    contentHash: 'SHA-256 do conteúdo',
    draft: 'RASCUNHO',
    test: 'TESTE',
  },
  envelope: {
    subject: (topic) => `Assinatura da ata: ${topic}`,
  },
  email: {
    greeting: (name) => (name ? `Olá, ${name},` : 'Olá,'),
    signOff: 'Atenciosamente,',
    signature: (organizationName) => `Atas · ${organizationName}`,
    whyYouGetThis: {
      owner: (organizationName) => `Você está recebendo esta mensagem porque é responsável por esta reunião na conta de ${organizationName} no Atas.`,
      participant: (organizationName) => `Você está recebendo esta mensagem porque participou desta reunião, registrada por ${organizationName} no Atas.`,
    },
    unsubscribe: (label) => `Não deseja mais receber mensagens sobre ${label}?`,
    unsubscribeLink: 'Parar estas mensagens',
    preferencesLink: 'Gerenciar suas notificações',
    buttonFallback: 'Se o botão não funcionar, copie e cole este endereço no navegador:',
    unsubscribePage: {
      title: 'Parar de receber mensagens',
      question: (label, email) => `Deseja parar de receber, em ${email}, as mensagens sobre ${label}?`,
      button: 'Parar estas mensagens',
      done: (label, email) => `Pronto. O endereço ${email} não receberá mais mensagens sobre ${label}.`,
    },
    kinds: {
      minutes_ready: {
        label: 'atas prontas para revisão',
        subject: (topic) => `Ata pronta para revisão: ${topic}`,
        intro: ({ topic, date }) => `A ata da reunião “${topic}”, de ${date}, está pronta para a sua revisão.`,
        next: 'Confira o texto e, se estiver tudo certo, envie-o para assinatura.',
        action: 'Revisar a ata',
      },
      minutes_failed: {
        label: 'falhas na geração de atas',
        subject: (topic) => `Não foi possível gerar a ata: ${topic}`,
        intro: ({ topic, date }) => `Não foi possível gerar a ata da reunião “${topic}”, de ${date}.`,
        reason: (reason) => `Motivo: ${reason}`,
        failures: {
          too_long: 'a reunião não coube no contexto do modelo de linguagem, nem em partes menores.',
          provider: 'o serviço do modelo de linguagem não respondeu como esperado; tente novamente mais tarde.',
          refused: 'o modelo de linguagem recusou o conteúdo da transcrição.',
          credentials: 'as credenciais do modelo de linguagem não estão configuradas ou não são válidas.',
          stalled: 'a geração parou de avançar.',
          other: 'um erro inesperado.',
        },
        next: 'Você pode ver os detalhes e tentar novamente na página da ata.',
        action: 'Ver os detalhes',
      },
      signer_declined: {
        label: 'recusas de assinatura',
        subject: (topic) => `Assinatura recusada: ${topic}`,
        intro: ({ topic, date, signerName }) => `${signerName ?? 'Um dos signatários'} recusou-se a assinar a ata da reunião “${topic}”, de ${date}.`,
        reason: (reason) => `Motivo informado: ${reason}`,
        noReason: 'Nenhum motivo foi informado.',
        next: 'Com a recusa, o envelope foi encerrado e as demais assinaturas não serão coletadas. Revise a ata e, se for o caso, envie-a novamente para assinatura.',
        action: 'Ver a ata',
      },
      envelope_voided: {
        label: 'envelopes anulados',
        subject: (topic) => `Envelope anulado: ${topic}`,
        intro: ({ topic, date }) => `O envelope de assinatura da ata da reunião “${topic}”, de ${date}, foi anulado.`,
        reason: (reason) => `Motivo: ${reason}`,
        next: 'As assinaturas pendentes não serão mais coletadas. Se necessário, envie a ata novamente para assinatura.',
        action: 'Ver a ata',
      },
      envelope_completed: {
        label: 'envelopes concluídos',
        subject: (topic) => `Ata assinada por todos: ${topic}`,
        intro: ({ topic, date }) => `Todos os signatários assinaram a ata da reunião “${topic}”, de ${date}. O PDF assinado já está disponível.`,
        action: 'Baixar o PDF assinado',
        viewMinutes: 'Abrir a ata no Atas',
      },
      signed_ata: {
        label: 'atas assinadas',
        subject: (topic) => `Ata assinada: ${topic}`,
        intro: ({ topic, date }) => `A ata da reunião “${topic}”, de ${date}, foi assinada por todos os signatários.`,
        attached: 'A ata assinada segue anexa a esta mensagem, em PDF.',
        download: ({ date, time }) => `Você pode baixar a ata assinada, em PDF, até ${date}, às ${time}.`,
        action: 'Baixar a ata assinada',
      },
    },
  },
} satisfies Catalog;
