import { DomainError } from '../domain-error';
import { plainDate } from './calendar-date';

/** A day that departs from the Monday-to-Friday rule. */
export interface CalendarException {
  day: string;
  working: boolean;
}

const MS_PER_DAY = 86_400_000;
/** About 400 years of working days. */
export const MAX_WORKING_DAYS = 100_000;

/** Days since 1970-01-01 of a 'YYYY-MM-DD' date (the calendar counts with these integers), or undefined. */
function toEpochDay(value: string): number | undefined {
  const date = plainDate(value);
  return date ? Date.UTC(date.year, date.month - 1, date.day) / MS_PER_DAY : undefined;
}

function epochDayOf(value: string): number {
  const epochDay = toEpochDay(value);
  if (epochDay === undefined) {
    throw new DomainError('validation', 'calendar.invalid_date', `日期无效：${value}。Invalid date, expected YYYY-MM-DD.`, { date: value });
  }
  return epochDay;
}

function isoDayOf(epochDay: number): string {
  return new Date(epochDay * MS_PER_DAY).toISOString().slice(0, 10);
}

/** 1970-01-01 was a Thursday: 0 = Sunday ... 6 = Saturday. */
function weekdayOf(epochDay: number): number {
  return (((epochDay + 4) % 7) + 7) % 7;
}

function isWeekday(epochDay: number): boolean {
  const weekday = weekdayOf(epochDay);
  return weekday !== 0 && weekday !== 6;
}

/** Monday-to-Friday days in the epoch-day range [0, end): whole weeks plus the remainder. */
function weekdaysBefore(end: number): number {
  const weeks = Math.floor(end / 7);
  let count = weeks * 5;
  for (let day = weeks * 7; day < end; day++) if (isWeekday(day)) count++;
  return count;
}

const shanghaiFormat = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

/** The local date in Asia/Shanghai of an instant, 'YYYY-MM-DD': working days are counted there. */
export function shanghaiDay(at: Date): string {
  return shanghaiFormat.format(at);
}

/**
 * Working days on the Chinese official calendar. Monday to Friday work by default; each exception
 * overrides its day (a holiday on a weekday, a make-up workday on a weekend). Pure: no I/O, no clock.
 * All dates are 'YYYY-MM-DD' local dates (Asia/Shanghai); an invalid one throws a `calendar.invalid_date`
 * validation error.
 */
export class WorkingDayCalendar {
  private readonly overrides = new Map<number, boolean>();
  /** Exceptions that change the weekday count: +1 for a working weekend day, -1 for a weekday off. */
  private readonly adjustments: { epochDay: number; delta: 1 | -1 }[] = [];

  constructor(exceptions: Iterable<CalendarException>) {
    for (const { day, working } of exceptions) this.overrides.set(epochDayOf(day), working);
    for (const [epochDay, working] of this.overrides) {
      if (working !== isWeekday(epochDay)) this.adjustments.push({ epochDay, delta: working ? 1 : -1 });
    }
  }

  isWorkingDay(date: string): boolean {
    return this.isWorking(epochDayOf(date));
  }

  /**
   * The n-th working day after `date`, the date itself not counted (a deadline of n working days from
   * an event on `date`). n = 0 gives `date` when it is a working day, otherwise the next working day.
   * A negative n counts back: the |n|-th working day before `date`.
   */
  addWorkingDays(date: string, n: number): string {
    // The walk is linear in n: a bound keeps a wild input from stalling the process.
    if (!Number.isInteger(n) || Math.abs(n) > MAX_WORKING_DAYS) {
      throw new DomainError(
        'validation',
        'calendar.invalid_count',
        `工作日数必须为不超过 ${MAX_WORKING_DAYS} 的整数。The number of working days must be an integer up to ${MAX_WORKING_DAYS}.`,
        { n },
      );
    }
    let day = epochDayOf(date);
    if (n === 0) {
      while (!this.isWorking(day)) day++;
      return isoDayOf(day);
    }
    const step = n > 0 ? 1 : -1;
    for (let remaining = Math.abs(n); remaining > 0;) {
      day += step;
      if (this.isWorking(day)) remaining--;
    }
    return isoDayOf(day);
  }

  /**
   * Working days in (a, b]: after `a`, up to and including `b`. When b < a the result is minus the
   * working days in (b, a]; when b = a it is 0. So workingDaysBetween(a, b) = -workingDaysBetween(b, a),
   * and for a working day d, workingDaysBetween(d, addWorkingDays(d, n)) = n for every n.
   */
  workingDaysBetween(a: string, b: string): number {
    const from = epochDayOf(a);
    const to = epochDayOf(b);
    // `0 -` rather than unary minus: no working day between gives 0, not -0.
    if (to < from) return 0 - this.countWorkingDays(to, from);
    return this.countWorkingDays(from, to);
  }

  /** Working days in (from, to], from <= to, without walking the range: weekdays plus exceptions inside it. */
  private countWorkingDays(from: number, to: number): number {
    let count = weekdaysBefore(to + 1) - weekdaysBefore(from + 1);
    for (const { epochDay, delta } of this.adjustments) if (epochDay > from && epochDay <= to) count += delta;
    return count;
  }

  private isWorking(epochDay: number): boolean {
    return this.overrides.get(epochDay) ?? isWeekday(epochDay);
  }
}
