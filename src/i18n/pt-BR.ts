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
} satisfies Catalog;
