import { action, counted, decision, fill, over, say, unanimous, type CaseSource } from '../script.js';

const shareholders = [
  'Elizabeth Harper', 'Gordon Blake', 'Fiona Walsh', 'Arthur Pemberton', 'Hannah Cole', 'Rajesh Iyer', 'Charlotte Dubois', 'Michael Grant', 'Susan Price', 'Oliver Hughes',
].map((name) => ({ name, email: `${name.toLowerCase().replace(' ', '.')}@holders.example.com` }));
const present = ['Elizabeth Harper', 'Gordon Blake', 'Fiona Walsh', 'Arthur Pemberton', 'Hannah Cole', 'Rajesh Iyer', 'Charlotte Dubois'];

/** A two-hour AGM whose chair and secretary are known only from the settings. */
export const enShareholdersAgm: CaseSource = {
  meeting: {
    id: 'en-shareholders-agm',
    description: 'Annual general meeting, 2 h (generated: hand-written key turns, discussion from a sentence pool): chair and secretary only in the settings (no cue in the transcript), quorum by count (4), three unanimous approvals, a counted approval with a name, a rejected resolution with an abstention, "by next Friday" said on a Friday.',
    topic: 'Ashcombe Instruments plc: Annual General Meeting 2026',
    language: 'en',
    kind: 'shareholders',
    startTime: '2026-09-11T10:00:00+01:00',
    timeZone: 'Europe/London',
    durationMinutes: 120,
    agenda: ['Annual report and accounts 2025', 'Final dividend', 'Re-election of directors', 'Appointment of auditors', 'Authority to buy back shares'],
    participants: [...shareholders, { name: 'Daniel Ross', email: 'daniel.ross@ashcombe.example.com' }],
    members: shareholders,
    quorum: { rule: 'count', count: 4 },
    chair: 'Elizabeth Harper',
    secretary: 'Daniel Ross',
  },
  people: { E: 'Elizabeth Harper', G: 'Gordon Blake', F: 'Fiona Walsh', A: 'Arthur Pemberton', H: 'Hannah Cole', R: 'Rajesh Iyer', C: 'Charlotte Dubois', D: 'Daniel Ross' },
  key: {
    chair: 'Elizabeth Harper',
    secretary: 'Daniel Ross',
    present: [...present, 'Daniel Ross'],
    absent: ['Michael Grant', 'Susan Price', 'Oliver Hughes'],
    quorum: { expected: 10, required: 4, present: 7, met: true },
    agenda: { discussed: [1, 2, 3, 4, 5], notDiscussed: [], offAgenda: 0 },
  },
  script: [
    say('E: Good morning, ladies and gentlemen, and welcome to the annual general meeting of Ashcombe Instruments.'),
    say('D: Present: Elizabeth Harper, Gordon Blake, Fiona Walsh, Arthur Pemberton, Hannah Cole, Rajesh Iyer and Charlotte Dubois. Seven shareholders, well above the four required.'),
    say('E: Thank you, Daniel. The first resolution is the annual report and accounts 2025.'),
    fill('00:24:00', 'E G F A H R C', [
      'Revenue grew nine percent to two hundred and twelve million pounds.',
      'The medical division is now forty percent of sales.',
      'Operating margin was steady at fourteen percent despite higher component costs.',
      'The auditors gave a clean opinion, with one key audit matter on inventory.',
      'Could the board explain the impairment in the marine sensors division?',
      'The marine sensors division lost its largest customer in the spring.',
    ]),
    decision('E: Resolution one, the annual report and accounts, is approved unanimously.', { summary: 'Annual report and accounts approved', outcome: 'approved', vote: unanimous, item: 1 }),
    say('E: Second item, the final dividend of eighteen pence per share.'),
    fill('00:45:00', 'E G A H C R', [
      'Eighteen pence brings the full-year payout to twenty-six pence, up eight percent.',
      'Dividend cover remains above two times earnings.',
      'Net cash at year end was thirty-one million pounds.',
    ]),
    say('G: I think we should keep the cash for the acquisition pipeline, so I oppose this one.'),
    decision('E: The final dividend is approved, 6 in favour, 1 against. Against: Gordon Blake.', { summary: 'Final dividend approved', outcome: 'approved', vote: counted(6, 1, null, { against: ['Gordon Blake'] }), item: 2 }),
    action('E: I’ll circulate the dividend payment timetable by the end of the month.', { summary: 'Dividend payment timetable', owner: 'Elizabeth Harper', due: '2026-09-30' }),
    say('E: Third item, the re-election of directors, taken together as the notice allows.'),
    fill('01:05:00', 'E F R H A C', [
      'Two non-executive directors have now served more than eight years.',
      'The nomination committee is searching for a director with software experience.',
      'Attendance at board meetings was one hundred percent for all directors.',
    ]),
    over('H: Can I just ask about board diversity before we move on?'),
    over('E: Of course, Hannah, go ahead.'),
    fill('01:12:00', 'H E F C', [
      'Three of the nine directors are women, against a target of four.',
      'The next appointment should help with both skills and diversity.',
    ]),
    decision('E: The re-election of all directors is approved unanimously.', { summary: 'Directors re-elected', outcome: 'approved', vote: unanimous, item: 3 }),
    say('E: Fourth item, the appointment of auditors: Kemble & Partners for another year.'),
    fill('01:28:00', 'E A R G', [
      'Kemble & Partners have audited the group for six years.',
      'Audit fees rose eleven percent, mostly from the new medical subsidiary.',
      'A tender is planned for the 2028 audit.',
    ]),
    decision('E: The appointment of Kemble & Partners as auditors is approved unanimously.', { summary: 'Auditors appointed', outcome: 'approved', vote: unanimous, item: 4 }),
    say('E: Fifth item, the authority to buy back up to ten percent of the shares.'),
    fill('01:55:00', 'E G F A H R C', [
      'A buy-back at these prices uses cash that could fund acquisitions.',
      'The share price is well below what the board considers fair value.',
      'Buying back ten percent would raise the largest holding above thirty percent.',
      'Several institutional investors said they prefer special dividends to buy-backs.',
    ]),
    decision('E: The buy-back authority is rejected, 2 in favour, 4 against, 1 abstention. Abstention: Fiona Walsh.', {
      summary: 'Share buy-back authority rejected',
      outcome: 'rejected',
      vote: counted(2, 4, 1, { abstaining: ['Fiona Walsh'] }),
      item: 5,
    }),
    action('E: Daniel will send the poll results to the registrar by next Friday.', { summary: 'Poll results to the registrar', owner: 'Daniel Ross', due: '2026-09-18' }),
    say('E: That concludes the formal business. Thank you all for coming.'),
  ],
};
