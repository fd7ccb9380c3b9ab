import fc from 'fast-check';
import { OFFICIAL_DAYS } from './official-days';
import { isIsoDay } from './calendar-date';
import { WorkingDayCalendar, shanghaiDay } from './working-day-calendar';

const official = new WorkingDayCalendar(OFFICIAL_DAYS.map(([day, working]) => ({ day, working })));
const plain = new WorkingDayCalendar([]);

/** Any real date from 2023 to 2027, the range the official data covers and a year beyond it. */
const isoDays = fc
  .integer({ min: Date.UTC(2023, 0, 1) / 86_400_000, max: Date.UTC(2027, 11, 31) / 86_400_000 })
  .map((epochDay) => new Date(epochDay * 86_400_000).toISOString().slice(0, 10));

describe('WorkingDayCalendar on the official 2026 arrangement', () => {
  it('moves from the eve of National Day to the first day after the Golden Week', () => {
    expect(official.addWorkingDays('2026-09-30', 1)).toBe('2026-10-08');
  });

  it('counts the make-up Saturday after National Day (调休) as a working day', () => {
    expect(official.isWorkingDay('2026-10-10')).toBe(true);
    expect(official.addWorkingDays('2026-10-09', 1)).toBe('2026-10-10');
  });

  it('ends 5 working days from 2026-02-12 on 2026-02-26 across the Spring Festival, counting Saturday 2026-02-14', () => {
    expect(official.isWorkingDay('2026-02-14')).toBe(true);
    expect(official.addWorkingDays('2026-02-12', 5)).toBe('2026-02-26');
  });

  it('treats holidays on weekdays as days off and plain weekends as days off', () => {
    expect(official.isWorkingDay('2026-10-01')).toBe(false);
    expect(official.isWorkingDay('2026-10-07')).toBe(false);
    expect(official.isWorkingDay('2026-10-08')).toBe(true);
    expect(official.isWorkingDay('2026-10-11')).toBe(false);
    expect(official.isWorkingDay('2026-09-20')).toBe(true);
  });

  it('counts working days after a, up to and including b', () => {
    expect(official.workingDaysBetween('2026-09-30', '2026-10-08')).toBe(1);
    expect(official.workingDaysBetween('2026-09-30', '2026-10-10')).toBe(3);
    expect(official.workingDaysBetween('2026-02-12', '2026-02-26')).toBe(5);
    // The Spring Festival week (2026-02-15..23) has no working day at all.
    expect(official.workingDaysBetween('2026-02-14', '2026-02-23')).toBe(0);
    // 2026: 261 Monday-to-Friday days, 19 of them holidays, plus 6 make-up weekend days.
    expect(official.workingDaysBetween('2025-12-31', '2026-12-31')).toBe(261 - 19 + 6);
  });

  it('answers 0 for the same day and a negative count when b is before a', () => {
    expect(official.workingDaysBetween('2026-10-08', '2026-10-08')).toBe(0);
    expect(official.workingDaysBetween('2026-10-08', '2026-09-30')).toBe(-1);
    expect(official.workingDaysBetween('2026-02-26', '2026-02-12')).toBe(-5);
  });

  it('answers 0, not -0, when b is before a with no working day between (2023-01-01 Sunday, 2023-01-02 holiday)', () => {
    expect(Object.is(official.workingDaysBetween('2023-01-02', '2023-01-01'), 0)).toBe(true);
  });

  it('rolls a non-working day forward for n = 0 and counts back for negative n', () => {
    expect(official.addWorkingDays('2026-10-01', 0)).toBe('2026-10-08');
    expect(official.addWorkingDays('2026-10-08', 0)).toBe('2026-10-08');
    expect(official.addWorkingDays('2026-10-08', -1)).toBe('2026-09-30');
    expect(official.addWorkingDays('2026-02-26', -5)).toBe('2026-02-12');
    // From a holiday, the first working day after it is day 1 (the event day is never counted).
    expect(official.addWorkingDays('2026-10-03', 1)).toBe('2026-10-08');
  });
});

describe('WorkingDayCalendar rules', () => {
  it('works Monday to Friday when no exception is declared', () => {
    expect(plain.isWorkingDay('2027-03-05')).toBe(true); // Friday
    expect(plain.isWorkingDay('2027-03-06')).toBe(false); // Saturday
    expect(plain.addWorkingDays('2027-03-05', 1)).toBe('2027-03-08');
    expect(plain.workingDaysBetween('2027-03-01', '2027-03-31')).toBe(22);
  });

  it('lets an exception override the weekday rule either way', () => {
    const calendar = new WorkingDayCalendar([
      { day: '2027-03-06', working: true },
      { day: '2027-03-08', working: false },
    ]);
    expect(calendar.addWorkingDays('2027-03-05', 1)).toBe('2027-03-06');
    expect(calendar.addWorkingDays('2027-03-05', 2)).toBe('2027-03-09');
    expect(calendar.workingDaysBetween('2027-03-05', '2027-03-09')).toBe(2);
  });

  it('refuses invalid dates and counts with a validation error', () => {
    expect(() => plain.isWorkingDay('2026-02-30')).toThrow(expect.objectContaining({ kind: 'validation', code: 'calendar.invalid_date' }));
    expect(() => plain.addWorkingDays('2026-1-5', 1)).toThrow(expect.objectContaining({ code: 'calendar.invalid_date' }));
    expect(() => plain.addWorkingDays('2026-01-05', 1.5)).toThrow(expect.objectContaining({ code: 'calendar.invalid_count' }));
    expect(() => new WorkingDayCalendar([{ day: 'tomorrow', working: true }])).toThrow(
      expect.objectContaining({ code: 'calendar.invalid_date' }),
    );
    expect(isIsoDay('2028-02-29')).toBe(true);
    expect(isIsoDay('2027-02-29')).toBe(false);
    expect(isIsoDay('2026-10-10T00:00:00Z')).toBe(false);
  });

  it('takes the local date in Asia/Shanghai', () => {
    expect(shanghaiDay(new Date('2026-09-30T15:59:59Z'))).toBe('2026-09-30');
    expect(shanghaiDay(new Date('2026-09-30T16:00:00Z'))).toBe('2026-10-01');
  });
});

describe('WorkingDayCalendar properties', () => {
  it('counts back exactly the n working days it added, from any working day', () => {
    fc.assert(
      fc.property(isoDays, fc.integer({ min: -400, max: 400 }), (start, n) => {
        const day = official.addWorkingDays(start, 0);
        const result = official.addWorkingDays(day, n);
        expect(official.isWorkingDay(result)).toBe(true);
        expect(official.workingDaysBetween(day, result)).toBe(n);
      }),
    );
  });

  it('agrees with a day-by-day count and is antisymmetric', () => {
    fc.assert(
      fc.property(isoDays, isoDays, (a, b) => {
        const [from, to] = a <= b ? [a, b] : [b, a];
        let walked = 0;
        for (let day = from; day < to;) {
          day = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
          if (official.isWorkingDay(day)) walked++;
        }
        expect(official.workingDaysBetween(from, to)).toBe(walked);
        expect(official.workingDaysBetween(to, from)).toBe(0 - walked);
      }),
    );
  });
});
