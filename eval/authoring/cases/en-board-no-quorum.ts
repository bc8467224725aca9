import { action, decision, fill, notStated, over, say, type CaseSource } from '../script.js';

const board = ['Patricia Holmes', 'Tyler Jackson', 'Monica Reyes', 'Frank Delaney', 'Angela Wu', 'Robert King', 'Sophie Turner', 'Ethan Moss', 'Nadia Petrova'].map((name) => ({
  name,
  email: `${name.toLowerCase().replace(' ', '.')}@riverside-food-bank.example.org`,
}));
const present = ['Patricia Holmes', 'Tyler Jackson', 'Monica Reyes', 'Frank Delaney'];

/** A non-profit board that cannot decide: four of nine, the vote postponed, a task to find a date. */
export const enBoardNoQuorum: CaseSource = {
  meeting: {
    id: 'en-board-no-quorum',
    description: 'Non-profit board, 20 min: quorum not met (4 of 9, majority required), so no vote: the motion is postponed; chair gives the floor, secretary takes the minutes, five absent members, an item never reached, overlapping speakers.',
    topic: 'Riverside Food Bank: Board of Directors, August meeting',
    language: 'en',
    kind: 'board',
    startTime: '2026-08-25T18:30:00-05:00',
    timeZone: 'America/Chicago',
    durationMinutes: 20,
    agenda: ['Treasurer’s report', 'Capital campaign for the new warehouse', 'Volunteer recognition event'],
    participants: board,
    members: board,
    quorum: { rule: 'majority' },
  },
  people: { P: 'Patricia Holmes', T: 'Tyler Jackson', M: 'Monica Reyes', F: 'Frank Delaney' },
  key: {
    chair: 'Patricia Holmes',
    secretary: 'Tyler Jackson',
    present,
    absent: board.map((member) => member.name).filter((name) => !present.includes(name)),
    quorum: { expected: 9, required: 5, present: 4, met: false },
    agenda: { discussed: [1, 2], notDiscussed: [3], offAgenda: 0 },
  },
  script: [
    say('P: Hi everyone, thanks for dialing in. Let’s give people another minute.'),
    say('T: I’ll take the minutes as usual.'),
    say('T: Present: Patricia Holmes, Tyler Jackson, Monica Reyes and Frank Delaney. That is four of nine, and we need five for a quorum.'),
    over('F: Again? Angela said she would be here.'),
    over('M: She texted me, her flight is delayed.'),
    say('P: Without a quorum we can talk but we cannot vote. Treasurer’s report first, informally. Frank, I give the floor to you.'),
    say('F: We are at sixty-two percent of the annual budget with two thirds of the year gone, so spending is on track.'),
    fill('00:09:00', 'F P M T', [
      'Individual donations are up eight percent, but the county grant came in lower than last year.',
      'The freezer repair cost us nine thousand dollars we had not planned for.',
    ]),
    say('P: Second item, the capital campaign for the new warehouse. Monica has the feasibility study.'),
    say('M: The study says we can raise one point two million over eighteen months if we secure a lead gift first.'),
    fill('00:16:30', 'M P F T', [
      'A lead gift would need to be around three hundred thousand for the campaign to be credible.',
      'The Hartley Foundation has funded warehouses for two other food banks in the state.',
      'We would need a campaign consultant, which costs around forty thousand.',
    ]),
    decision('P: Since we have no quorum, the vote on launching the capital campaign is postponed to a special meeting.', { summary: 'Capital campaign vote postponed', outcome: 'postponed', vote: notStated, item: 2 }),
    action('P: Tyler will send a scheduling poll for the special meeting by Friday.', { summary: 'Scheduling poll for a special meeting', owner: 'Tyler Jackson', due: '2026-08-28' }),
    fill('00:19:00', 'T P'),
    say('P: That’s all we can do tonight. Thanks, everyone.'),
  ],
};
