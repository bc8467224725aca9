import { afterEach, describe, expect, it } from 'vitest';
import { resolveDueDate } from './minutes.due-dates.js';

/** A meeting at 11:00 in São Paulo on Wednesday 2026-11-11. */
const wednesday = { startTime: new Date('2026-11-11T14:00:00Z'), timeZone: 'America/Sao_Paulo' };
/** A meeting at 10:00 in São Paulo on the given local date. */
const meetingOn = (date: string) => ({ startTime: new Date(`${date}T13:00:00Z`), timeZone: 'America/Sao_Paulo' });

describe('resolveDueDate', () => {
  it.each([
    ['até sexta-feira', '2026-11-13'],
    ['sexta', '2026-11-13'],
    ['Sexta-feira.', '2026-11-13'],
    ['até segunda', '2026-11-16'],
    ['próxima sexta', '2026-11-13'],
    ['sexta que vem', '2026-11-13'],
    ['sexta às 17h', '2026-11-13'],
    ['até o fim do mês', '2026-11-30'],
    ['até o final do mês', '2026-11-30'],
    ['fim do mês que vem', '2026-12-31'],
    ['até o final da semana', '2026-11-13'],
    ['fim desta semana', '2026-11-13'],
    ['na próxima semana', '2026-11-20'],
    ['semana que vem', '2026-11-20'],
    ['até o fim da próxima semana', '2026-11-20'],
    ['em duas semanas', '2026-11-25'],
    ['em 2 semanas', '2026-11-25'],
    ['daqui a duas semanas', '2026-11-25'],
    ['em 10 dias', '2026-11-21'],
    ['dentro de 10 dias', '2026-11-21'],
    ['em um mês', '2026-12-11'],
    ['em uma semana', '2026-11-18'],
    ['em quinze dias', '2026-11-26'],
    ['até o fim de semana', '2026-11-13'],
    ['amanhã', '2026-11-12'],
    ['amanha', '2026-11-12'],
    ['depois de amanhã', '2026-11-13'],
    ['hoje', '2026-11-11'],
    ['até dia 15', '2026-11-15'],
    ['até o dia 11', '2026-11-11'],
    ['dia 10', '2026-12-10'],
    ['15/12', '2026-12-15'],
    ['05/12', '2026-12-05'],
    ['até 15/12/2027', '2027-12-15'],
    ['15/12/2027', '2027-12-15'],
    ['2027-12-15', '2027-12-15'],
    ['até 15 de dezembro', '2026-12-15'],
    ['até o dia 15 de dezembro de 2027', '2027-12-15'],
  ])('pt: %s → %s', (said, expected) => {
    expect(resolveDueDate(said, wednesday)).toBe(expected);
  });

  it.each([
    ['by Friday', '2026-11-13'],
    ['Friday', '2026-11-13'],
    ['next Friday', '2026-11-13'],
    ['by Friday at 5pm', '2026-11-13'],
    ['by the end of the month', '2026-11-30'],
    ['end of month', '2026-11-30'],
    ['end of the week', '2026-11-13'],
    ['end of next week', '2026-11-20'],
    ['next week', '2026-11-20'],
    ['in two weeks', '2026-11-25'],
    ['in 10 days', '2026-11-21'],
    ['in a week', '2026-11-18'],
    ['tomorrow', '2026-11-12'],
    ['the day after tomorrow', '2026-11-13'],
    ['by 15 March', '2027-03-15'],
    ['March 15th', '2027-03-15'],
    ['by the 15th', '2026-11-15'],
    ['05/12', '2026-12-05'],
    ['by July 20', '2027-07-20'],
    ['July 20th', '2027-07-20'],
    ['by Jul. 20', '2027-07-20'],
    ['by Sept 3rd', '2027-09-03'],
    ['by December 15', '2026-12-15'],
    ['November 11', '2026-11-11'],
    ['by July 20, 2027', '2027-07-20'],
    ['July 20 2028', '2028-07-20'],
  ])('en: %s → %s', (said, expected) => {
    expect(resolveDueDate(said, wednesday)).toBe(expected);
  });

  it.each([
    ['para el viernes', '2026-11-13'],
    ['el próximo viernes', '2026-11-13'],
    ['antes del fin de mes', '2026-11-30'],
    ['a finales de mes', '2026-11-30'],
    ['la próxima semana', '2026-11-20'],
    ['la semana que viene', '2026-11-20'],
    ['en dos semanas', '2026-11-25'],
    ['en 10 días', '2026-11-21'],
    ['mañana', '2026-11-12'],
    ['pasado mañana', '2026-11-13'],
    ['el día 15', '2026-11-15'],
    ['el 15 de diciembre', '2026-12-15'],
  ])('es: %s → %s', (said, expected) => {
    expect(resolveDueDate(said, wednesday)).toBe(expected);
  });

  it.each([
    [null],
    [''],
    ['   '],
    ['asap'],
    ['quando possível'],
    ['em breve'],
    ['em dezembro'],
    ['next month'],
    ['sexta ou segunda'],
    ['31/02'],
    ['32/12'],
    ['15/13'],
    ['12/15'],
    ['até o dia 12/15'],
    ['12/15/2027'],
    ['29/02/2027'],
    ['dia 32'],
    ['ontem'],
    ['yesterday'],
    ['last Friday'],
    ['sexta passada'],
    ['a Ana entrega até sexta'],
    ['em 10 anos'],
    ['July 32'],
    ['September 31'],
    ['by July'],
    ['julho 20'],
  ])('%s → null', (said) => {
    expect(resolveDueDate(said, wednesday)).toBeNull();
  });

  it("counts from the meeting's local date in its time zone", () => {
    const lateOnThe9th = new Date('2026-11-09T23:30:00Z');
    const saoPaulo = { startTime: lateOnThe9th, timeZone: 'America/Sao_Paulo' }; // Monday the 9th, 20:30
    const tokyo = { startTime: lateOnThe9th, timeZone: 'Asia/Tokyo' }; // Tuesday the 10th, 08:30
    expect(resolveDueDate('amanhã', saoPaulo)).toBe('2026-11-10');
    expect(resolveDueDate('amanhã', tokyo)).toBe('2026-11-11');
    expect(resolveDueDate('terça', saoPaulo)).toBe('2026-11-10');
    expect(resolveDueDate('terça', tokyo)).toBe('2026-11-17');
    expect(resolveDueDate('dia 10', saoPaulo)).toBe('2026-11-10');
    expect(resolveDueDate('dia 9', tokyo)).toBe('2026-12-09');
  });

  it('throws on a time zone Intl does not know', () => {
    expect(() => resolveDueDate('amanhã', { startTime: new Date(), timeZone: 'Mars/Olympus' })).toThrow(RangeError);
  });

  describe('whatever the zone of the process', () => {
    const processZone = process.env.TZ;
    afterEach(() => {
      if (processZone === undefined) delete process.env.TZ;
      else process.env.TZ = processZone;
    });

    it.each(['Pacific/Kiritimati', 'Pacific/Pago_Pago', 'America/Los_Angeles', 'UTC'])('%s', (zone) => {
      process.env.TZ = zone;
      expect(resolveDueDate('sexta', wednesday)).toBe('2026-11-13');
      expect(resolveDueDate('11/11', wednesday)).toBe('2026-11-11');
      expect(resolveDueDate('amanhã', wednesday)).toBe('2026-11-12');
      expect(resolveDueDate('in two weeks', wednesday)).toBe('2026-11-25');
      expect(resolveDueDate('the day after tomorrow', wednesday)).toBe('2026-11-13');
    });
  });

  describe('weekdays and weeks', () => {
    it('a weekday is the next one strictly after the meeting day', () => {
      const friday = meetingOn('2026-11-13');
      expect(resolveDueDate('sexta', friday)).toBe('2026-11-20');
      expect(resolveDueDate('by Friday', friday)).toBe('2026-11-20');
      expect(resolveDueDate('sábado', friday)).toBe('2026-11-14');
      expect(resolveDueDate('quinta-feira', friday)).toBe('2026-11-19');
    });

    it('the end of the week is the Friday on or after the meeting day', () => {
      expect(resolveDueDate('fim da semana', meetingOn('2026-11-13'))).toBe('2026-11-13');
      expect(resolveDueDate('fim da semana', meetingOn('2026-11-14'))).toBe('2026-11-20');
      expect(resolveDueDate('end of the week', meetingOn('2026-11-15'))).toBe('2026-11-20');
      expect(resolveDueDate('end of the week', meetingOn('2026-11-16'))).toBe('2026-11-20');
    });

    it('next week is the Friday of the next Monday-to-Sunday week', () => {
      expect(resolveDueDate('next week', meetingOn('2026-11-15'))).toBe('2026-11-20');
      expect(resolveDueDate('next week', meetingOn('2026-11-16'))).toBe('2026-11-27');
      expect(resolveDueDate('semana que vem', meetingOn('2026-11-13'))).toBe('2026-11-20');
    });
  });

  describe('month and year rollovers', () => {
    const thursday = meetingOn('2027-12-30');
    const friday = meetingOn('2027-12-31');

    it.each([
      [thursday, 'até sexta', '2027-12-31'],
      [friday, 'até sexta', '2028-01-07'],
      [friday, 'até segunda', '2028-01-03'],
      [thursday, 'em 10 dias', '2028-01-09'],
      [thursday, 'amanhã', '2027-12-31'],
      [friday, 'amanhã', '2028-01-01'],
      [thursday, '15/01', '2028-01-15'],
      [thursday, '30/12', '2027-12-30'],
      [thursday, '29/12', '2028-12-29'],
      [thursday, 'dia 5', '2028-01-05'],
      [thursday, 'fim do mês', '2027-12-31'],
      [friday, 'fim do mês', '2027-12-31'],
      [friday, 'end of next month', '2028-01-31'],
      [friday, 'fim da semana', '2027-12-31'],
      [meetingOn('2028-01-01'), 'fim da semana', '2028-01-07'],
      [thursday, 'next week', '2028-01-07'],
      [thursday, 'el 15 de enero', '2028-01-15'],
    ])('%#: %s', (meeting, said, expected) => {
      expect(resolveDueDate(said, meeting)).toBe(expected);
    });
  });

  it('reads the US order "July 20" on the meeting\'s local date, before or after it in the year', () => {
    const hoaMeeting = { startTime: new Date('2026-07-09T23:00:00Z'), timeZone: 'America/New_York' }; // Thursday 9 July, 19:00
    expect(resolveDueDate('by July 20', hoaMeeting)).toBe('2026-07-20');
    expect(resolveDueDate('by July 9', hoaMeeting)).toBe('2026-07-09');
    expect(resolveDueDate('by July 8', hoaMeeting)).toBe('2027-07-08');
    expect(resolveDueDate('by Feb 29', hoaMeeting)).toBe('2028-02-29');
  });

  describe('short months and leap years', () => {
    it.each([
      ['2028-02-10', 'fim do mês', '2028-02-29'],
      ['2027-02-10', 'fim do mês', '2027-02-28'],
      ['2027-03-01', '29/02', '2028-02-29'],
      ['2028-02-10', '29/02', '2028-02-29'],
      ['2028-02-10', '29/02/2028', '2028-02-29'],
      ['2027-02-10', 'dia 30', '2027-03-30'],
      ['2026-11-11', 'dia 31', '2026-12-31'],
      ['2027-01-31', 'em um mês', '2027-02-28'],
      ['2028-01-31', 'in 1 month', '2028-02-29'],
      ['2028-02-27', 'em 3 dias', '2028-03-01'],
    ])('on %s "%s" → %s', (date, said, expected) => {
      expect(resolveDueDate(said, meetingOn(date))).toBe(expected);
    });
  });
});
