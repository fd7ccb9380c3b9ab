import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { Stage } from '@app/workflow';

export type AppealStatus = 'lodged' | 'upheld' | 'dismissed';

/** An applicant's appeal (复核) against a rejection: one per dossier, linked to the decision it contests. */
@Entity({ name: 'appeal' })
@Index('UQ_appeal_application', ['applicationId'], { unique: true })
export class Appeal {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'application_id', type: 'uuid' })
  applicationId: string;

  @Column({ name: 'call_id', type: 'uuid' })
  callId: string;

  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  /** The rejection appealed against: its event in the dossier's history, and when it was taken. */
  @Column({ name: 'decision_event_id', type: 'uuid' })
  decisionEventId: string;

  /** Its number in the dossier's timeline (`GET /applications/:id/timeline`). */
  @Column({ name: 'decision_event_seq', type: 'integer' })
  decisionEventSeq: number;

  @Column({ name: 'decided_at', type: 'timestamptz' })
  rejectedAt: Date;

  /** The last working day an appeal was accepted. */
  @Column({ name: 'window_last_day', type: 'date' })
  windowLastDay: string;

  @Column({ type: 'text' })
  reasons: string;

  /** What the applicant offers as evidence (documents named, facts, where to find them). */
  @Column({ type: 'text' })
  evidence: string;

  @Column({ type: 'varchar', length: 16, default: 'lodged' })
  status: AppealStatus;

  @Column({ name: 'return_to', type: 'varchar', length: 32 })
  returnTo: Stage;

  @Column({ type: 'text', nullable: true })
  resolution: string | null;

  @Column({ name: 'lodged_by', type: 'uuid' })
  lodgedBy: string;

  @Column({ name: 'lodged_at', type: 'timestamptz' })
  lodgedAt: Date;

  @Column({ name: 'resolved_by', type: 'uuid', nullable: true })
  resolvedBy: string | null;

  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true })
  resolvedAt: Date | null;
}
