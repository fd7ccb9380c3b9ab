import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { decimal } from './annual-report.entity';
import { Platform } from './platform.entity';
import type { EvaluationGrade, RectificationStatus } from './registry.types';

/** A performance evaluation (绩效评价) of one platform for one year. */
@Entity({ name: 'evaluation' })
@Index('UQ_evaluation_platform_year', ['platformId', 'year'], { unique: true })
export class Evaluation {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @ManyToOne(() => Platform, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'platform_id' })
  platform?: Platform;

  @Column({ name: 'platform_id', type: 'uuid' })
  platformId: string;

  @Column({ type: 'int' })
  year: number;

  @Column({ type: 'numeric', precision: 5, scale: 2, nullable: true, transformer: decimal })
  score: number | null;

  @Column({ type: 'varchar', length: 16 })
  grade: EvaluationGrade;

  @Column({ name: 'evaluated_on', type: 'date' })
  evaluatedOn: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/**
 * Grade thresholds and deadlines per platform type, from a year on: data, because each year's
 * evaluation notice may change them. The row with the greatest `fromYear` <= the year applies.
 */
@Entity({ name: 'evaluation_threshold' })
export class EvaluationThreshold {
  @Column({ name: 'platform_type', type: 'varchar', length: 32, primary: true })
  platformType: string;

  @Column({ name: 'from_year', type: 'int', primary: true })
  fromYear: number;

  @Column({ name: 'excellent_min', type: 'numeric', precision: 5, scale: 2, transformer: decimal })
  excellentMin: number;

  @Column({ name: 'good_min', type: 'numeric', precision: 5, scale: 2, transformer: decimal })
  goodMin: number;

  @Column({ name: 'pass_min', type: 'numeric', precision: 5, scale: 2, transformer: decimal })
  passMin: number;

  /** The report for year Y is due on this month-day of Y+1 (MM-DD). */
  @Column({ name: 'report_due', type: 'varchar', length: 5 })
  reportDue: string;

  /** Key labs: years after recognition without grading (建设期). */
  @Column({ name: 'build_period_years', type: 'int', default: 0 })
  buildPeriodYears: number;

  @Column({ name: 'rectification_months', type: 'int', default: 6 })
  rectificationMonths: number;
}

/** A rectification (整改) opened by a D or absent grade; closed as passed or failed after the follow-up. */
@Entity({ name: 'rectification' })
@Index('IDX_rectification_platform', ['platformId'])
export class Rectification {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @ManyToOne(() => Platform, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'platform_id' })
  platform?: Platform;

  @Column({ name: 'platform_id', type: 'uuid' })
  platformId: string;

  @Column({ name: 'evaluation_id', type: 'uuid' })
  evaluationId: string;

  @Column({ name: 'opened_on', type: 'date' })
  openedOn: string;

  @Column({ type: 'date' })
  deadline: string;

  @Column({ type: 'varchar', length: 16, default: 'open' })
  status: RectificationStatus;

  @Column({ name: 'closed_on', type: 'date', nullable: true })
  closedOn: string | null;

  /** Who closed it, and the follow-up's finding (what was checked, what is still missing). */
  @Column({ name: 'closed_by', type: 'uuid', nullable: true })
  closedBy: string | null;

  @Column({ name: 'closing_note', type: 'text', nullable: true })
  closingNote: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
