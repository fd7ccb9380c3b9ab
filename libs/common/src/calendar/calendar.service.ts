import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { Between, DataSource, type Repository } from 'typeorm';
import { Clock } from '../clock';
import { CalendarDay } from './calendar-day.entity';
import { CALENDAR_MAX_DAYS_PER_YEAR, CALENDAR_MAX_YEAR, CALENDAR_MIN_YEAR, CalendarErrors } from './calendar.errors';
import { isIsoDay } from './calendar-date';
import { WorkingDayCalendar } from './working-day-calendar';

/** One day of a year's replacement list. */
export interface CalendarDayInput {
  day: string;
  working: boolean;
  nameZh?: string | null;
}

/**
 * Other processes (worker, other API replicas) only see an admin's edit when their copy expires:
 * the table is tiny, so reloading every minute costs nothing and bounds the staleness.
 */
const CACHE_TTL_MS = 60_000;

@Injectable()
export class CalendarService {
  private readonly logger = new Logger(CalendarService.name);
  private cached: { calendar: Promise<WorkingDayCalendar>; loadedAt: number } | undefined;

  constructor(
    @InjectRepository(CalendarDay) private readonly days: Repository<CalendarDay>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** The whole calendar, kept in memory; writes through this service drop the copy at once. */
  load(): Promise<WorkingDayCalendar> {
    const now = this.clock.now().getTime();
    if (this.cached && now - this.cached.loadedAt < CACHE_TTL_MS) return this.cached.calendar;
    const calendar = this.days.find({ select: { day: true, working: true } }).then((rows) => new WorkingDayCalendar(rows));
    const entry = { calendar, loadedAt: now };
    this.cached = entry;
    // A failed read must not stay cached.
    calendar.catch(() => {
      if (this.cached === entry) this.cached = undefined;
    });
    return calendar;
  }

  /** Every exception day stored for the year, in date order. */
  getYear(year: number): Promise<CalendarDay[]> {
    assertYear(year);
    return this.days.find({ where: { day: Between(`${year}-01-01`, `${year}-12-31`) }, order: { day: 'ASC' } });
  }

  /**
   * Replaces the exception days of one year with `days` (all or nothing). Refuses invalid dates,
   * days outside the year and duplicates with a validation error, storing nothing.
   */
  async replaceYear(year: number, days: readonly CalendarDayInput[], actor?: string): Promise<CalendarDay[]> {
    assertYear(year);
    assertDays(year, days);
    const now = this.clock.now();
    await this.dataSource.transaction('READ COMMITTED', async (manager) => {
      // Two admins saving the same year at once would otherwise both delete, then collide on insert.
      await manager.query('SELECT pg_advisory_xact_lock($1, $2)', [CALENDAR_LOCK_KEY, year]);
      await manager.delete(CalendarDay, { day: Between(`${year}-01-01`, `${year}-12-31`) });
      if (days.length > 0) {
        await manager.insert(
          CalendarDay,
          days.map((input) => ({
            day: input.day,
            working: input.working,
            nameZh: input.nameZh ?? null,
            source: 'admin' as const,
            updatedAt: now,
          })),
        );
      }
    });
    this.cached = undefined;
    // Ids only in logs; the audit row joins this once libs/audit exists.
    this.logger.log({ year, days: days.length, actor: actor ?? null }, 'calendar year replaced');
    return this.getYear(year);
  }
}

/** First key of the advisory lock taken while a year is replaced (the year is the second). */
const CALENDAR_LOCK_KEY = 0x0ca1e2da;

function assertYear(year: number): void {
  if (!Number.isInteger(year) || year < CALENDAR_MIN_YEAR || year > CALENDAR_MAX_YEAR) throw CalendarErrors.yearOutOfRange(year);
}

function assertDays(year: number, days: readonly CalendarDayInput[]): void {
  if (days.length > CALENDAR_MAX_DAYS_PER_YEAR) throw CalendarErrors.tooManyDays(days.length);
  const invalid = days.filter((input) => !isIsoDay(input.day)).map((input) => input.day);
  if (invalid.length > 0) throw CalendarErrors.invalidDays(invalid);
  const outside = days.filter((input) => !input.day.startsWith(`${year}-`)).map((input) => input.day);
  if (outside.length > 0) throw CalendarErrors.dayOutsideYear(year, outside);
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const { day } of days) (seen.has(day) ? duplicates : seen).add(day);
  if (duplicates.size > 0) throw CalendarErrors.duplicateDays([...duplicates]);
}
