import type { Catalog } from './catalog.js';

export const en = {
  locale: 'en-GB',
  modelLanguage: 'English, in the formal style of board minutes',
  minutes: {
    heading: 'MINUTES OF THE MEETING',
    openingHeading: 'Opening',
    date: 'Date',
    time: 'Time',
    place: 'Place',
    presiding: 'Chair',
    secretary: 'Secretary',
    opening: ({ date, time, place, presiding, secretary }) =>
      `On ${date}, at ${time}, the participants listed below met by ${place}` +
      (presiding ? `, chaired by ${presiding}` : '') +
      (secretary ? `, with ${secretary} as secretary` : '') +
      ', to consider the agenda.',
    attendance: 'Attendance',
    absent: 'Absent',
    agenda: 'Agenda',
    discussion: 'Discussion',
    decisions: 'Resolutions',
    proposedBy: 'Proposed by',
    vote: 'Vote',
    voting: {
      outcome: { approved: 'approved', rejected: 'rejected', postponed: 'postponed', no_vote: 'not put to a vote' },
      method: { unanimous: 'unanimously', counted: 'by', acclamation: 'by acclamation', consensus: 'by consensus' },
      inFavour: (count) => `${count} ${count === 1 ? 'vote' : 'votes'} in favour`,
      against: (count) => `${count} against`,
      abstaining: (count) => `${count} ${count === 1 ? 'abstention' : 'abstentions'}`,
    },
    actionItems: 'Action items',
    actionColumns: ['Owner', 'Task', 'Due', 'Ref.'],
    noDueDate: 'to be set',
    turn: 'turn',
    closing: 'Closing',
    closingText: (secretary) =>
      `There being no further business, the meeting was closed. These minutes were taken${secretary ? ` by ${secretary}` : ''} and, having been read and approved, are signed by those present.`,
    none: 'None recorded.',
    platform: { zoom: 'video conference (Zoom)', unknown: 'means not recorded' },
  },
  pdf: {
    page: (page, total) => `Page ${page} of ${total}`,
    signatures: 'Signatures',
    contentHash: 'Content SHA-256',
    draft: 'DRAFT',
    test: 'TEST',
  },
  envelope: {
    subject: (topic) => `Please sign the minutes: ${topic}`,
  },
} satisfies Catalog;
