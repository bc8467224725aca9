import type { Catalog, DateParts } from './catalog.js';

/** "9 March 2027", as en-GB writes it. */
const dayOf = ({ day, month, year }: DateParts) => `${day} ${month} ${year}`;

/** Who chaired and who took the minutes, each only when known. */
const officers = (chair: string | null, secretary: string | null) =>
  (chair ? `, with ${chair} in the chair` : '') + (secretary ? `${chair ? ' and' : ', with'} ${secretary} acting as secretary` : '');

const takenBy = (secretary: string | null) => (secretary ? ` by ${secretary}, Secretary,` : '');

export const en = {
  locale: 'en-GB',
  modelLanguage: 'English, in the formal style of board minutes',
  minutes: {
    openingHeading: 'Opening',
    date: 'Date',
    time: 'Time',
    place: 'Place',
    kinds: {
      board: {
        heading: 'MINUTES OF THE MEETING OF THE BOARD OF DIRECTORS',
        opening: ({ date, time, place, chair, secretary }) =>
          `A meeting of the Board of Directors was held on ${dayOf(date)}, at ${time}, by ${place}, attended by the directors listed below${officers(chair, secretary)}, to consider the agenda.`,
        attendance: 'Directors present',
        chair: 'Chair of the Board',
        secretary: 'Secretary',
        closing: (secretary) =>
          `There being no further business, the meeting was declared closed. These minutes were taken${takenBy(secretary)} and, having been read and approved, are signed by the Chair and the Secretary.`,
      },
      shareholders: {
        heading: 'MINUTES OF THE GENERAL MEETING OF SHAREHOLDERS',
        opening: ({ date, time, place, chair, secretary }) =>
          `A general meeting of the shareholders was held on ${dayOf(date)}, at ${time}, by ${place}, attended by the shareholders listed below${officers(chair, secretary)}, to consider the agenda.`,
        attendance: 'Shareholders present',
        chair: 'Chair of the Meeting',
        secretary: 'Secretary',
        closing: (secretary) =>
          `There being no further business, the meeting was declared closed. These minutes were taken${takenBy(secretary)} and, having been read and approved, are signed by the Chair and the Secretary of the meeting.`,
      },
      condominium: {
        heading: 'MINUTES OF THE GENERAL MEETING OF UNIT OWNERS',
        opening: ({ date, time, place, chair, secretary }) =>
          `A general meeting of the unit owners was held on ${dayOf(date)}, at ${time}, by ${place}, attended by the owners listed below${officers(chair, secretary)}, to consider the agenda.`,
        attendance: 'Owners present',
        chair: 'Chair of the Meeting',
        secretary: 'Secretary',
        closing: (secretary) =>
          `There being no further business, the meeting was declared closed. These minutes were taken${takenBy(secretary)} and, having been read and approved, are signed by the Chair and the Secretary.`,
      },
      general: {
        heading: 'MINUTES OF THE MEETING',
        opening: ({ date, time, place, chair, secretary }) =>
          `On ${dayOf(date)}, at ${time}, the participants listed below met by ${place}${officers(chair, secretary)}, to consider the agenda.`,
        attendance: 'Present',
        chair: 'Chair',
        secretary: 'Secretary',
        closing: (secretary) =>
          `There being no further business, the meeting was closed. These minutes were taken${takenBy(secretary)} and, having been read and approved, are signed by those present.`,
      },
    },
    quorum: {
      met: ({ present, expected, required }) =>
        `A quorum being present, with ${present} of the ${expected} members attending (a minimum of ${required}), the meeting was declared duly constituted.`,
      notMet: ({ present, expected, required }) =>
        `The quorum was not reached: ${present} of the ${expected} members attended, against a minimum of ${required}.`,
      warningLabel: 'Warning:',
      warning: 'these minutes are flagged because the meeting did not reach its quorum; the resolutions recorded here must be checked before signing.',
    },
    absent: 'Absent',
    guests: 'Also present',
    agenda: 'Agenda',
    notDiscussed: 'Not discussed.',
    otherBusiness: 'Other business',
    discussion: 'Discussion',
    decisions: 'Resolutions',
    proposedBy: 'Proposed by',
    vote: 'Vote',
    agendaItem: (number) => `agenda item ${number}`,
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
    reference: { recording: (time) => `recording, ${time}`, turn: (ordinal) => `turn ${ordinal}` },
    closing: 'Closing',
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
