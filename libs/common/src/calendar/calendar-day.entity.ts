import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Where a calendar row came from: the seeded official arrangement or an admin's edit. */
export type CalendarDaySource = 'chinese-days' | 'admin';

/**
 * An exception to the Monday-to-Friday rule: a statutory holiday (working = false) or a make-up
 * workday on a weekend (调休, working = true). Holiday days that fall on a weekend may be stored too.
 */
@Entity({ name: 'calendar_day' })
export class CalendarDay {
  /** The local date in Asia/Shanghai, 'YYYY-MM-DD' (the pg driver returns `date` as a string). */
  @PrimaryColumn({ type: 'date' })
  day: string;

  @Column({ type: 'boolean' })
  working: boolean;

  @Column({ name: 'name_zh', type: 'varchar', length: 64, nullable: true })
  nameZh: string | null;

  @Column({ type: 'varchar', length: 16 })
  source: CalendarDaySource;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
