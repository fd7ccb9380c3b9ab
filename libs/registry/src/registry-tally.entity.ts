import { Column, Entity } from 'typeorm';
import { decimal } from './annual-report.entity';

/**
 * Maintained aggregate for counting toward targets: signed changes of each measure, per dimension
 * and day, kept at three grains (year, month, day). A value as of a day is the sum of year rows
 * before its year, month rows before its month and day rows of its month: a bounded number of
 * rows whatever the size of the registry.
 */
@Entity({ name: 'registry_tally' })
export class RegistryTally {
  @Column({ type: 'varchar', length: 24, primary: true })
  measure: string;

  /** y, m or d. */
  @Column({ type: 'char', length: 1, primary: true })
  grain: string;

  /** First day of the year or month, or the day. */
  @Column({ type: 'date', primary: true })
  period: string;

  @Column({ name: 'platform_type', type: 'varchar', length: 32, primary: true })
  platformType: string;

  @Column({ type: 'varchar', length: 16, primary: true })
  level: string;

  @Column({ name: 'county_code', type: 'varchar', length: 32, primary: true, default: '' })
  countyCode: string;

  @Column({ name: 'industry_code', type: 'varchar', length: 64, primary: true, default: '' })
  industryCode: string;

  @Column({ type: 'numeric', precision: 20, scale: 2, default: 0, transformer: decimal })
  delta: number;
}
