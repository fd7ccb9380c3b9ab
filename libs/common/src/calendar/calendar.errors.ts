import { DomainError } from '../domain-error';

export const CALENDAR_MIN_YEAR = 2000;
export const CALENDAR_MAX_YEAR = 2100;
/** A year has at most 366 days; the bound leaves room and refuses absurd bodies. */
export const CALENDAR_MAX_DAYS_PER_YEAR = 400;

export const CalendarErrors = {
  yearOutOfRange: (year: number) =>
    new DomainError(
      'validation',
      'calendar.year_out_of_range',
      `年份须在 ${CALENDAR_MIN_YEAR} 至 ${CALENDAR_MAX_YEAR} 之间。The year must be between ${CALENDAR_MIN_YEAR} and ${CALENDAR_MAX_YEAR}.`,
      { year },
    ),
  tooManyDays: (count: number) =>
    new DomainError(
      'validation',
      'calendar.too_many_days',
      `一年最多设置 ${CALENDAR_MAX_DAYS_PER_YEAR} 个日期。At most ${CALENDAR_MAX_DAYS_PER_YEAR} days per year.`,
      { count },
    ),
  invalidDays: (days: string[]) =>
    new DomainError('validation', 'calendar.invalid_date', '日期无效，应为 YYYY-MM-DD。Invalid date, expected YYYY-MM-DD.', { days }),
  dayOutsideYear: (year: number, days: string[]) =>
    new DomainError('validation', 'calendar.day_outside_year', `日期不在 ${year} 年内。Some days are outside the year ${year}.`, {
      year,
      days,
    }),
  duplicateDays: (days: string[]) =>
    new DomainError('validation', 'calendar.duplicate_day', '日期重复。Some days appear more than once.', { days }),
};
