import { Temporal } from 'temporal-polyfill';

/**
 * Calendar dates ('YYYY-MM-DD': no time, no zone) through Temporal.PlainDate, so that month ends,
 * leap days and anniversaries are the calendar's, not hand-written day arithmetic.
 */
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The date a 'YYYY-MM-DD' string names, or undefined ('2026-02-30' names none). */
export function plainDate(value: string): Temporal.PlainDate | undefined {
  if (!ISO_DAY.test(value)) return undefined;
  try {
    return Temporal.PlainDate.from(value, { overflow: 'reject' });
  } catch {
    return undefined;
  }
}

function required(value: string): Temporal.PlainDate {
  const date = plainDate(value);
  if (!date) throw new RangeError(`not a calendar date: ${value}`);
  return date;
}

/** True for a real calendar date written 'YYYY-MM-DD'. */
export function isIsoDay(value: string): boolean {
  return plainDate(value) !== undefined;
}

/** `months` later (earlier if negative); a day past the target month's end becomes its last day (01-31 + 1 month = 02-28). */
export function addMonths(day: string, months: number): string {
  return required(day).add({ months }).toString();
}

/** `years` later; 29 February becomes 28 February in a common year. */
export function addYears(day: string, years: number): string {
  return required(day).add({ years }).toString();
}

export function addDays(day: string, days: number): string {
  return required(day).add({ days }).toString();
}

/** Days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return required(from).until(required(to), { largestUnit: 'days' }).days;
}

/**
 * Completed calendar years from `since` to `today` (满 N 年): a firm founded on 2025-12-01 is one year
 * old on 2026-12-01 (one born on 29 February on 1 March of a common year); 0 before its first anniversary or when `since` is later; undefined if either is
 * not a date.
 */
export function completedYears(since: string, today: string): number | undefined {
  const from = plainDate(since);
  const to = plainDate(today);
  if (!from || !to) return undefined;
  if (Temporal.PlainDate.compare(from, to) > 0) return 0;
  return from.until(to, { largestUnit: 'years' }).years;
}

/** The instant a day ends in a time zone (24:00 there), e.g. the end of a notice's last day in Beijing. */
export function endOfDayIn(day: string, timeZone: string): Date {
  return new Date(required(day).add({ days: 1 }).toZonedDateTime({ timeZone }).epochMilliseconds);
}
