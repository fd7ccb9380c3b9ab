import { api, call } from '../../api';

/** Days off and make-up workdays of each year, read once per page from GET /calendar/{year}. */
const years = new Map<number, Promise<Map<string, boolean>>>();

function exceptionsOf(year: number): Promise<Map<string, boolean>> {
  let found = years.get(year);
  if (!found) {
    found = call(() => api.GET('/calendar/{year}', { params: { path: { year } } }))
      .then((calendar) => new Map(calendar.days.map((day) => [day.day, day.working])))
      .catch(() => new Map<string, boolean>());
    years.set(year, found);
  }
  return found;
}

function isoDay(date: Date): string {
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}

/**
 * Working days from today (exclusive) to the deadline (inclusive) on the official calendar (statutory holidays
 * off, 调休 make-up days on); negative when the deadline has passed. Null without a deadline.
 */
export async function workingDaysLeft(deadline: string | null, today = new Date()): Promise<number | null> {
  if (!deadline) return null;
  const end = new Date(`${deadline.slice(0, 10)}T00:00:00`);
  const start = new Date(today.getFullYear(), today.getMonth(), today.getDate());
  if (Number.isNaN(end.getTime())) return null;
  const sign = end >= start ? 1 : -1;
  const [from, to] = sign > 0 ? [start, end] : [end, start];
  const calendars = new Map<number, Map<string, boolean>>();
  for (let year = from.getFullYear(); year <= to.getFullYear(); year += 1) calendars.set(year, await exceptionsOf(year));
  let count = 0;
  const day = new Date(from);
  while (day < to) {
    day.setDate(day.getDate() + 1);
    const exception = calendars.get(day.getFullYear())?.get(isoDay(day));
    const weekday = day.getDay() !== 0 && day.getDay() !== 6;
    if (exception ?? weekday) count += 1;
  }
  return sign * count;
}
