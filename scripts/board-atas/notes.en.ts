import type { MinutesNotes } from '../../src/modules/minutes/minutes.notes.js';
import { turn, votes } from './meeting.js';

/** What a good language model returns for the board meeting's (pt-BR) transcript, asked for English minutes. */
export const notesEn: MinutesNotes = {
  title: 'Regular Meeting of July 2026',
  presiding: 'Helena Prado',
  presidingSourceTurn: turn.chairPresides,
  secretary: 'Ricardo Menezes',
  secretarySourceTurn: turn.secretaryActs,
  attendees: [
    { name: 'Helena Prado', role: 'Chair of the Board' },
    { name: 'Marcos Tavares', role: 'Director' },
    { name: 'Beatriz Lins', role: 'Director' },
    { name: 'Paulo Azevedo', role: 'Director' },
    { name: 'Camila Rocha', role: 'Director' },
    { name: 'Fernando Quintela', role: 'Director' },
    { name: 'Ricardo Menezes', role: 'Secretary to the meeting' },
    { name: 'André Figueiredo', role: 'Chief Executive Officer, guest' },
    { name: 'Juliana Costa', role: 'Chief Financial Officer, guest' },
  ],
  agenda: [
    {
      agendaItem: 1,
      title: 'Minutes of the previous meeting',
      discussion:
        'The Chair submitted to the Board the draft minutes of the regular meeting held in May, circulated to the directors ten days in advance, and reported that the drafting comments made by Mr Marcos Tavares, on the term of the financing, and by Ms Beatriz Lins, on the composition of the Audit Committee, had been incorporated by the secretariat, which both directors confirmed. There were no further comments.',
    },
    {
      agendaItem: 2,
      title: 'Second-quarter results',
      discussion: [
        'The Chief Financial Officer, Ms Juliana Costa, presented the results for the second quarter. Net revenue amounted to R$312 million, an increase of 11% on the same quarter of the previous year, driven by warehousing, which grew by 18% with two new customers in pharmaceutical retail; road transport grew by 4%, below budget, owing to lower agribusiness volumes in April and May. Adjusted EBITDA was R$58 million, a margin of 18.6% (17.1% in the previous year), reflecting the renegotiation of backhaul freight contracts and a lower fuel cost per kilometre, partly offset by higher personnel expenses arising from the collective wage agreement and from early hiring for the Cajamar distribution centre, which begins invoicing in September. Net income was R$21 million, in line with the previous quarter, with interest expense of R$14 million.',
        'Net debt stood at R$210 million at the end of June, or 1.08 times EBITDA for the last twelve months, comfortably within the 2.5 times covenant of the debentures; operating cash generation was R$44 million and cash at the end of the period was R$96 million. By segment, warehousing recorded revenue of R$148 million, an EBITDA margin of 24% and a record average occupancy of 92%; transport recorded revenue of R$139 million and a margin of 12%, weighed down by the maintenance cost of a fleet with an average age of six and a half years, whose renewal plan will take effect from the fourth quarter; and integrated logistics recorded revenue of R$25 million and a margin of 6%, expected to reach 10% next year. Capital expenditure for the half-year totalled R$38 million, within the budget for the year.',
        'In reply to Mr Marcos Tavares, the Chief Financial Officer explained that the increase in the average collection period, from 42 to 51 days, was due to two large retail customers extending their payment terms, one of which had already agreed to return to 45 days from August; Mr Tavares stressed the effect of nearly R$30 million on working capital, and the Chief Executive Officer, Mr André Figueiredo, reported that a weekly credit and collections committee had been set up, on whose progress he would report at the next meeting. In reply to Ms Beatriz Lins, the Chief Financial Officer stated that the increase in the provision for labour contingencies arose from a collective action by the Campinas drivers’ union concerning waiting time, assessed by external counsel as a possible loss, for which R$3.2 million had been provided as the probable portion. In reply to Mr Paulo Azevedo, she confirmed the guidance of 9% to 12% revenue growth for the year and an EBITDA margin between 18% and 19%. In reply to Ms Camila Rocha, the Chief Executive Officer reported that the warehouse management system had been delayed by some six weeks in migrating the data of the second warehouse, with completion now expected in October and no change to the project’s total budget.',
        'The Board examined the results, and the Audit Committee will complete its review of the quarterly financial statements before their publication.',
      ].join('\n\n'),
    },
    {
      agendaItem: 3,
      title: 'Capital expenditure budget for the Extrema (MG) distribution centre',
      discussion: [
        'The Chief Executive Officer presented the proposal to build a 32,000 m² distribution centre in Extrema, Minas Gerais, on an 80,000 m² site near the Fernão Dias highway, with room for a second phase, in view of the 94% occupancy of the Company’s warehousing capacity in the São Paulo and southern Minas Gerais corridor and of two tenders lost in the first half for lack of space. The first phase requires an investment of R$48 million, of which R$31 million in civil works, R$9 million in handling equipment and systems and R$8 million for the land, with works starting in October and operations from the second half of next year; letters of intent from three customers cover some 60% of the floor area. Of the four locations assessed (Extrema, Pouso Alegre, Jundiaí and Louveira), Extrema was preferred for the tax incentives of the State of Minas Gerais, a land cost some 30% lower and its access to the Fernão Dias highway, as set out in the comparative study in Annex 2. The Chief Financial Officer reported a real internal rate of return of 17% against a cost of capital of 11%, a payback period of six and a half years, financing of 60% through a BNDES credit line, already under review, and 40% from the Company’s own cash, and a peak projected leverage of 1.6 times EBITDA at the end of next year.',
        'Asked by Mr Paulo Azevedo about the sensitivity of the return to slower occupancy, the Chief Executive Officer stated that in the pessimistic scenario in Annex 3, with 70% occupancy reached only in the third year, the internal rate of return would fall to 12.8%, still above the cost of capital. Mr Marcos Tavares proposed that disbursement for the civil works be conditional on approval of the BNDES financing, which the Chief Financial Officer considered feasible, as the land and the detailed designs could be paid for from the Company’s own cash. In reply to Ms Camila Rocha, the Chief Executive Officer reported that the preliminary environmental report had identified no liabilities but that a full environmental due diligence had not yet been carried out; Ms Beatriz Lins proposed that it also be a condition for the purchase of the land, with which the Chair concurred.',
        'Before the vote, Mr Fernando Quintela, as he had announced at the opening of the meeting, declared a conflict of interest, being a minority shareholder of Quintela Distribuidora, one of the signatories of the letters of intent, and abstained from voting, which the Secretary recorded. When casting his vote, Mr Paulo Azevedo recommended that management report quarterly on the occupancy of the new facility.',
      ].join('\n\n'),
    },
    {
      agendaItem: 4,
      title: 'Interest on shareholders’ equity',
      discussion:
        'The Chief Financial Officer presented management’s proposal to declare interest on shareholders’ equity in the gross amount of R$12,500,000.00, approximately R$0.19 per share, to be imputed to the mandatory minimum dividend for the year, within the legal limit calculated by applying the long-term interest rate (TJLP) to shareholders’ equity, with an estimated tax benefit of R$4.2 million for the Company, a record date of 15 August, shares trading ex-rights from 18 August and payment by 30 December. Ms Beatriz Lins reported that the Audit Committee had examined the proposal and the calculation of the deductible limit, had no objections and recommended its approval. In reply to Mr Marcos Tavares, the Chief Financial Officer explained that, taking into account both this payment and the Company’s own-cash share of the Extrema project, projected minimum cash would be R$60 million, above the R$45 million floor set by the cash policy.',
    },
    {
      agendaItem: 5,
      title: 'Risk management and information security',
      discussion: [
        'Ms Camila Rocha, who leads the subject for the Risk Committee, reported that in June a phishing attack had compromised the e-mail account of an analyst in the sales department; access was blocked within forty minutes, no customers’ personal data or financial systems were accessed and, in the assessment of the data protection officer, no notification to the National Data Protection Authority (ANPD) is required. The incident revealed that two-factor authentication was not yet mandatory for all users and that awareness training was behind schedule at the branches. She further reported that the external penetration test completed in July had identified eleven vulnerabilities, none critical and two of high severity, both already remedied, with the remainder to be remedied by the end of September, and that the cyber risk insurance had been renewed in June with cover of R$20 million, the insurer requiring, for its next renewal, evidence that all employees have been trained.',
        'The Chief Executive Officer reported that two-factor authentication has been mandatory for all employees since 1 July, with 97% adoption, the remaining service accounts being under review. Mr Paulo Azevedo suggested that a simulated attack exercise be held with management before the end of the year, in view of ransomware incidents at other companies in the sector, and Ms Camila Rocha proposed revising the 2022 cyber risk policy and updating the risk matrix to include dependence on technology suppliers. Ms Beatriz Lins reported that the Audit Committee would include access controls in the scope of the internal audit for the second half.',
      ].join('\n\n'),
    },
    {
      agendaItem: 6,
      title: 'Other business',
      discussion:
        'Mr Marcos Tavares noted that the independent auditor’s term expires next year and that, owing to mandatory rotation, the selection process must begin in the last quarter; Ms Beatriz Lins stated that this was already part of the Audit Committee’s plan. Mr Fernando Quintela thanked management for the timeliness and quality of the meeting materials. The Secretary noted that, because of the resolution on interest on shareholders’ equity, these minutes must be filed with the Board of Trade (Junta Comercial) within thirty days, and that they will be signed electronically by the Chair and the Secretary. The next regular meeting was scheduled for 24 September at 9 a.m., in the same format.',
    },
  ],
  decisions: [
    {
      text: 'To approve the minutes of the regular meeting of the Board of Directors held in May, in the form of the draft circulated, with the drafting comments incorporated.',
      proposedBy: null,
      outcome: 'approved',
      vote: votes.unanimous,
      agendaItem: 1,
      sourceTurn: turn.mayMinutesApproved,
    },
    {
      text: 'To take note of the second-quarter results presented by management, the Audit Committee to complete its review of the quarterly financial statements before their publication.',
      proposedBy: null,
      outcome: 'no_vote',
      vote: votes.none,
      agendaItem: 2,
      sourceTurn: turn.quarterReviewed,
    },
    {
      text: 'To approve the capital expenditure budget of R$48,000,000.00 (forty-eight million reais) for the first phase of the Extrema (MG) distribution centre, the purchase of the land being conditional on an environmental due diligence without material qualifications, and the start of the civil works on approval of the BNDES financing.',
      proposedBy: 'Management',
      outcome: 'approved',
      vote: votes.extrema,
      agendaItem: 3,
      sourceTurn: turn.extremaApproved,
    },
    {
      text: 'To include the monitoring of the Extrema distribution centre’s occupancy as a standing item on the agenda of the Board’s quarterly meetings, from November.',
      proposedBy: 'Paulo Azevedo',
      outcome: 'no_vote',
      vote: votes.none,
      agendaItem: 3,
      sourceTurn: turn.occupancyOnAgenda,
    },
    {
      text: 'To approve the declaration of interest on shareholders’ equity in the gross amount of R$12,500,000.00 (twelve million five hundred thousand reais), imputed to the mandatory minimum dividend for the year, with a record date of 15 August and payment by 30 December.',
      proposedBy: 'Management',
      outcome: 'approved',
      vote: votes.unanimous,
      agendaItem: 4,
      sourceTurn: turn.interestOnEquityApproved,
    },
  ],
  actionItems: [
    { owner: 'Ricardo Menezes', task: 'Collect the digital signatures on the minutes of the May meeting.', due: 'this week', sourceTurn: turn.mayMinutesSignatures },
    { owner: 'André Figueiredo', task: 'Report on the average collection period and the work of the credit and collections committee.', due: 'at the next meeting', sourceTurn: turn.receivablesFollowUp },
    { owner: 'Audit Committee', task: 'Complete the review of the second-quarter financial statements.', due: 'before publication', sourceTurn: turn.quarterReviewed },
    { owner: 'André Figueiredo', task: 'Engage the environmental due diligence of the Extrema site, after quotes from three consultancies.', due: 'by 31/08/2026', sourceTurn: turn.environmentalDueDiligence },
    { owner: 'Juliana Costa', task: 'Send the Board the physical and financial disbursement schedule for Extrema, separating own cash from BNDES financing.', due: 'by 15/08/2026', sourceTurn: turn.disbursementSchedule },
    { owner: 'Ricardo Menezes', task: 'Publish the notice to shareholders and the market announcement on the interest on shareholders’ equity.', due: 'by 02/08/2026', sourceTurn: turn.interestOnEquityNotice },
    { owner: 'Camila Rocha', task: 'Revise the cyber risk policy with the technology department, including the simulated attack exercise, and submit the proposal to the Board.', due: 'by 30/09/2026', sourceTurn: turn.cyberPolicyReview },
    { owner: 'Beatriz Lins', task: 'Present the Audit Committee’s report on internal controls, including access controls.', due: 'on 24/09/2026', sourceTurn: turn.internalControlsReport },
    { owner: 'Beatriz Lins', task: 'Submit the proposed terms of reference for the selection of the independent auditor.', due: 'in October', sourceTurn: turn.auditorSelection },
    { owner: 'Ricardo Menezes', task: 'File these minutes with the Board of Trade (Junta Comercial).', due: 'within thirty days', sourceTurn: turn.boardOfTradeFiling },
    { owner: 'Ricardo Menezes', task: 'Circulate the draft of these minutes and send them for electronic signature by the Chair and the Secretary.', due: 'within five business days', sourceTurn: turn.minutesDraft },
  ],
};
