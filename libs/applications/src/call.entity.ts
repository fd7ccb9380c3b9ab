import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { StageDurations } from '@app/workflow';
import type { EligibilityRule } from './eligibility/eligibility.types';

export type CallStatus = 'draft' | 'open' | 'closed';

export interface RequiredDocument {
  code: string;
  nameZh: string;
  nameEn: string;
  required: boolean;
}

/** A call for applications (申报通知): type, level, year, window, deadlines, quotas, documents, rules, workflow version. */
@Entity({ name: 'call' })
@Index('IDX_call_type_year', ['platformType', 'year'])
export class Call {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'platform_type', type: 'varchar', length: 32 })
  platformType: string;

  @Column({ type: 'varchar', length: 16 })
  level: string;

  @Column({ type: 'int' })
  year: number;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ name: 'opens_at', type: 'timestamptz' })
  opensAt: Date;

  @Column({ name: 'closes_at', type: 'timestamptz' })
  closesAt: Date;

  @Column({ name: 'county_review_deadline', type: 'date', nullable: true })
  countyReviewDeadline: string | null;

  @Column({ name: 'stage_durations', type: 'jsonb' })
  stageDurations: StageDurations;

  /** Recommendations allowed per county or zone; null: no quota. */
  @Column({ name: 'quota_per_county', type: 'jsonb', nullable: true })
  quotaPerCounty: Record<string, number> | null;

  @Column({ name: 'required_documents', type: 'jsonb' })
  requiredDocuments: RequiredDocument[];

  @Column({ name: 'eligibility_rules', type: 'jsonb' })
  eligibilityRules: EligibilityRule[];

  @Column({ name: 'workflow_id', type: 'varchar', length: 64 })
  workflowId: string;

  @Column({ type: 'varchar', length: 16, default: 'draft' })
  status: CallStatus;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
