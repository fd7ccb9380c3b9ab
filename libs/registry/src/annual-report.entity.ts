import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Platform } from './platform.entity';

/** numeric columns come back from pg as strings; amounts stay exact as decimals, read as numbers. */
export const decimal = {
  to: (value: number | null): number | null => value,
  from: (value: string | null): number | null => (value === null ? null : Number(value)),
};

/** A platform's annual report for one year (incubators and maker spaces add the Torch statistics). */
@Entity({ name: 'annual_report' })
@Index('UQ_annual_report_platform_year', ['platformId', 'year'], { unique: true })
export class AnnualReport {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @ManyToOne(() => Platform, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'platform_id' })
  platform?: Platform;

  @Column({ name: 'platform_id', type: 'uuid' })
  platformId: string;

  @Column({ type: 'int' })
  year: number;

  /** The day it was filed (Asia/Shanghai): sums as of a day use the reports filed by then. */
  @Column({ name: 'filed_on', type: 'date' })
  filedOn: string;

  @Column({ name: 'incubated_enterprises', type: 'int', nullable: true })
  incubatedEnterprises: number | null;

  @Column({ name: 'graduated_enterprises', type: 'int', nullable: true })
  graduatedEnterprises: number | null;

  @Column({ name: 'area_m2', type: 'numeric', precision: 14, scale: 2, nullable: true, transformer: decimal })
  areaM2: number | null;

  @Column({ type: 'int', nullable: true })
  staff: number | null;

  @Column({ name: 'rd_spend_yuan', type: 'numeric', precision: 16, scale: 2, nullable: true, transformer: decimal })
  rdSpendYuan: number | null;

  @Column({ name: 'financing_yuan', type: 'numeric', precision: 16, scale: 2, nullable: true, transformer: decimal })
  financingYuan: number | null;

  /** 火炬统计 figures, as reported. */
  @Column({ type: 'jsonb', default: {} })
  torch: Record<string, number>;

  @Column({ name: 'filed_by', type: 'uuid', nullable: true })
  filedBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
