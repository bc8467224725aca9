import type { Catalog } from './catalog.js';

export const ptBR = {
  locale: 'pt-BR',
  modelLanguage: 'Brazilian Portuguese, in the formal style of Brazilian corporate minutes (ata)',
  minutes: {
    heading: 'ATA DA REUNIÃO',
    openingHeading: 'Abertura',
    date: 'Data',
    time: 'Horário',
    place: 'Local',
    presiding: 'Presidente',
    secretary: 'Secretário(a)',
    opening: ({ date, time, place, presiding, secretary }) =>
      `No dia ${date.replace(/^1 /, '1º ')}, às ${time}, reuniram-se por ${place} os participantes abaixo relacionados` +
      (presiding ? `, sob a presidência de ${presiding}` : '') +
      (secretary ? `, secretariados por ${secretary}` : '') +
      ', para deliberar sobre a ordem do dia.',
    attendance: 'Presença',
    absent: 'Ausentes',
    agenda: 'Ordem do dia',
    discussion: 'Discussão',
    decisions: 'Deliberações',
    proposedBy: 'Proposta por',
    vote: 'Votação',
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
    turn: 'turno',
    closing: 'Encerramento',
    closingText: (secretary) =>
      `Nada mais havendo a tratar, a reunião foi encerrada, e ${secretary ? `eu, ${secretary}, lavrei` : 'foi lavrada'} a presente ata, que, lida e aprovada, vai assinada pelos presentes.`,
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
