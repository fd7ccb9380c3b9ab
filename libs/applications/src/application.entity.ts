import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { Stage } from '@app/workflow';

/** A dossier (申报书): the applicant's form and where it stands in the procedure. */
@Entity({ name: 'application' })
@Index('IDX_application_org', ['organisationId'])
@Index('IDX_application_region', ['regionCode'])
@Index('IDX_application_call', ['callId'])
@Index('IDX_application_number', ['number'], { unique: true, where: 'number IS NOT NULL' })
export class Application {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  /** Readable number given on first submission, e.g. WZ-INC-2027-0042. */
  @Column({ type: 'varchar', length: 32, nullable: true })
  number: string | null;

  @Column({ name: 'call_id', type: 'uuid' })
  callId: string;

  @Column({ name: 'platform_type', type: 'varchar', length: 32 })
  platformType: string;

  @Column({ type: 'varchar', length: 16 })
  level: string;

  @Column({ type: 'int' })
  year: number;

  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  /** The applicant's county or zone when the dossier was created: it decides who reviews it. */
  @Column({ name: 'region_code', type: 'varchar', length: 32 })
  regionCode: string;

  /** Name of the platform applied for. */
  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 32, nullable: true })
  subtype: string | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  industries: string[];

  /** The typed form of the platform type (numbers as integers in their units: m2, yuan, people). */
  @Column({ type: 'jsonb', default: {} })
  form: Record<string, unknown>;

  @Column({ name: 'pledge_signed_at', type: 'timestamptz', nullable: true })
  pledgeSignedAt: Date | null;

  /** The municipal record this provincial application promotes, if any. */
  @Column({ name: 'promoted_from_platform_id', type: 'uuid', nullable: true })
  promotedFromPlatformId: string | null;

  @Column({ type: 'varchar', length: 32, default: 'draft' })
  stage: Stage;

  @Column({ name: 'returned_from', type: 'varchar', length: 32, nullable: true })
  returnedFrom: Stage | null;

  @Column({ type: 'int', default: 0 })
  round: number;

  @Column({ name: 'workflow_id', type: 'varchar', length: 64 })
  workflowId: string;

  /** Optimistic concurrency: every change increments it; actions carry the version they saw. */
  @Column({ type: 'int', default: 1 })
  version: number;

  @Column({ name: 'stage_deadline', type: 'date', nullable: true })
  stageDeadline: string | null;

  @Column({ name: 'submitted_at', type: 'timestamptz', nullable: true })
  submittedAt: Date | null;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt: Date | null;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
