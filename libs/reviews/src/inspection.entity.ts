import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { AvoidanceRule } from './avoidance';

export type InspectionStatus = 'draft' | 'signed';
export type ChecklistStatus = 'pending' | 'verified' | 'not_verified';

/** One line of the checklist, built from a criterion of the call's rubric. */
export interface ChecklistItem {
  code: string;
  nameZh: string;
  nameEn: string;
  status: ChecklistStatus;
  note: string | null;
  /** Attachments of the dossier (photos, documents) uploaded through its attachments route. */
  evidence: string[];
}

export interface TeamMember {
  userId: string;
  role: 'bureau_officer' | 'county_officer' | 'expert';
  name: string;
  /** When this member signed the inspection as it stands; null until then. */
  signedAt: string | null;
  /** Avoidance findings a bureau officer waived for this member, with the reason. */
  waived: AvoidanceRule[];
  overrideReason: string | null;
}

/**
 * A site inspection (现场考察) of one review round of a dossier: team, date, checklist, result, and
 * each member's sign-off. One draft per round; earlier rounds' inspections stay as history.
 */
@Entity({ name: 'review_inspection' })
@Index('UQ_review_inspection_draft_application', ['applicationId', 'round'], { unique: true, where: `status = 'draft'` })
@Index('IDX_review_inspection_application', ['applicationId', 'round', 'createdAt'])
export class Inspection {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'application_id', type: 'uuid' })
  applicationId: string;

  @Column({ name: 'call_id', type: 'uuid' })
  callId: string;

  /** The dossier's review round (application.round): a resubmitted dossier is inspected again. */
  @Column({ type: 'int' })
  round: number;

  @Column({ name: 'visit_date', type: 'date' })
  visitDate: string;

  @Column({ type: 'jsonb' })
  team: TeamMember[];

  /** Last working day for the team to sign (YYYY-MM-DD): the visit date plus the rubric's days; its reminders run to it. */
  @Column({ name: 'sign_due', type: 'date', nullable: true })
  signDue: string | null;

  @Column({ type: 'jsonb' })
  checklist: ChecklistItem[];

  @Column({ type: 'varchar', length: 16, nullable: true })
  result: 'passed' | 'failed' | null;

  @Column({ name: 'result_note', type: 'text', nullable: true })
  resultNote: string | null;

  /** Signed once every member signed; a signed inspection no longer changes. */
  @Column({ type: 'varchar', length: 16, default: 'draft' })
  status: InspectionStatus;

  @Column({ name: 'signed_at', type: 'timestamptz', nullable: true })
  signedAt: Date | null;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
