import { action, decision, fill, notStated, over, say, type CaseSource } from '../script.js';

/** A 15-minute project review: someone takes the minutes, nobody chairs, no quorum. */
export const enGeneralProjectReview: CaseSource = {
  meeting: {
    id: 'en-general-project-review',
    description: 'Project review, 15 min: secretary said, no chair (null), no quorum, a decision without a stated vote, an item never reached, two tasks due "by Thursday" and "by Friday", an absent invitee, overlapping speakers.',
    topic: 'Atlas migration: fortnightly project review',
    language: 'en',
    kind: 'general',
    startTime: '2026-10-06T15:00:00-07:00',
    timeZone: 'America/Los_Angeles',
    durationMinutes: 15,
    agenda: ['Sprint review', 'QA vendor selection', 'Q4 hiring plan'],
    participants: [
      { name: 'Zoe Carter', email: 'zoe.carter@atlas.example.com' },
      { name: 'Ben Adler', email: 'ben.adler@atlas.example.com' },
      { name: 'Mia Rossi', email: 'mia.rossi@atlas.example.com' },
      { name: 'Liam O’Neill', email: 'liam.oneill@atlas.example.com' },
      { name: 'Grace Park', email: 'grace.park@atlas.example.com' },
    ],
  },
  people: { Z: 'Zoe Carter', B: 'Ben Adler', M: 'Mia Rossi', L: 'Liam O’Neill' },
  key: {
    chair: null,
    secretary: 'Zoe Carter',
    present: ['Zoe Carter', 'Ben Adler', 'Mia Rossi', 'Liam O’Neill'],
    absent: ['Grace Park'],
    quorum: null,
    agenda: { discussed: [1, 2], notDiscussed: [3], offAgenda: 0 },
  },
  script: [
    say('B: Hi all. Grace is out sick today.'),
    say('Z: No problem, I’ll take the minutes today.'),
    say('M: Sprint review first. We closed twenty-one of twenty-six stories; the five left are all on the data export.'),
    over('L: Which is blocked on the schema change, not on us.'),
    over('M: Right.'),
    fill('00:06:00', 'M L B Z', [
      'The schema change depends on the platform team, and they are two weeks behind.',
      'Velocity was a bit lower because of the public holiday.',
    ]),
    say('B: QA vendor selection. We have two finalists, Testwise and Qualibridge.'),
    say('L: Testwise is cheaper and their people are in our time zone. I would go with them.'),
    fill('00:10:30', 'B L M Z', [
      'Qualibridge has better tooling for load testing, to be fair.',
      'Testwise quoted sixty-two thousand for the whole migration, Qualibridge eighty.',
    ]),
    decision('B: Okay, no objections, so Testwise is approved as our QA vendor for the migration.', { summary: 'Testwise chosen as QA vendor', outcome: 'approved', vote: notStated, item: 2 }),
    action('B: I’ll send the Testwise contract to legal by Thursday.', { summary: 'Testwise contract to legal', owner: 'Ben Adler', due: '2026-10-08' }),
    action('Z: And I’ll circulate the sprint report by Friday.', { summary: 'Sprint report', owner: 'Zoe Carter', due: '2026-10-09' }),
    fill('00:14:00', 'B M Z'),
    say('B: We are at time. Thanks, everyone.'),
  ],
};
