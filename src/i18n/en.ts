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
  email: {
    greeting: (name) => (name ? `Hello ${name},` : 'Hello,'),
    signOff: 'Kind regards,',
    signature: (organizationName) => `Atas · ${organizationName}`,
    whyYouGetThis: {
      owner: (organizationName) => `You are receiving this e-mail because you are responsible for this meeting in the Atas account of ${organizationName}.`,
      participant: (organizationName) => `You are receiving this e-mail because you took part in this meeting, recorded by ${organizationName} with Atas.`,
    },
    unsubscribe: (label) => `No longer wish to receive e-mails about ${label}?`,
    unsubscribeLink: 'Stop these e-mails',
    preferencesLink: 'Manage your notifications',
    buttonFallback: 'If the button does not work, copy and paste this address into your browser:',
    unsubscribePage: {
      title: 'Stop e-mails',
      question: (label, email) => `Stop sending e-mails about ${label} to ${email}?`,
      button: 'Stop these e-mails',
      done: (label, email) => `Done. ${email} will no longer receive e-mails about ${label}.`,
    },
    kinds: {
      minutes_ready: {
        label: 'minutes ready for review',
        subject: (topic) => `Minutes ready for review: ${topic}`,
        intro: ({ topic, date }) => `The minutes of the meeting “${topic}” of ${date} are ready for your review.`,
        next: 'Please check the text and, when everything is in order, send it for signature.',
        action: 'Review the minutes',
      },
      minutes_failed: {
        label: 'minutes that could not be generated',
        subject: (topic) => `Minutes could not be generated: ${topic}`,
        intro: ({ topic, date }) => `We could not generate the minutes of the meeting “${topic}” of ${date}.`,
        reason: (reason) => `Reason: ${reason}`,
        failures: {
          too_long: "the meeting did not fit in the language model's context, even in smaller parts.",
          provider: 'the language model service did not answer as expected; try again later.',
          refused: "the language model refused the transcript's content.",
          credentials: 'the language model credentials are missing or not valid.',
          stalled: 'the generation stopped making progress.',
          other: 'an unexpected error.',
        },
        next: 'You can see the details and try again on the minutes page.',
        action: 'See the details',
      },
      signer_declined: {
        label: 'declined signatures',
        subject: (topic) => `Signature declined: ${topic}`,
        intro: ({ topic, date, signerName }) => `${signerName ?? 'One of the signers'} declined to sign the minutes of the meeting “${topic}” of ${date}.`,
        reason: (reason) => `Reason given: ${reason}`,
        noReason: 'No reason was given.',
        next: 'The envelope is now closed and no further signatures will be collected. Please review the minutes and, if appropriate, send them for signature again.',
        action: 'View the minutes',
      },
      envelope_voided: {
        label: 'voided envelopes',
        subject: (topic) => `Envelope voided: ${topic}`,
        intro: ({ topic, date }) => `The signing envelope for the minutes of the meeting “${topic}” of ${date} has been voided.`,
        reason: (reason) => `Reason: ${reason}`,
        next: 'Pending signatures will no longer be collected. If needed, send the minutes for signature again.',
        action: 'View the minutes',
      },
      envelope_completed: {
        label: 'completed envelopes',
        subject: (topic) => `Minutes signed by everyone: ${topic}`,
        intro: ({ topic, date }) => `Every signer has signed the minutes of the meeting “${topic}” of ${date}. The signed PDF is now available.`,
        action: 'Download the signed PDF',
        viewMinutes: 'Open the minutes in Atas',
      },
      signed_ata: {
        label: 'signed minutes',
        subject: (topic) => `Signed minutes: ${topic}`,
        intro: ({ topic, date }) => `The minutes of the meeting “${topic}” of ${date} have been signed by every signer.`,
        attached: 'The signed minutes are attached to this e-mail as a PDF.',
        download: ({ date, time }) => `You can download the signed minutes as a PDF until ${date} at ${time}.`,
        action: 'Download the signed minutes',
      },
    },
  },
} satisfies Catalog;
