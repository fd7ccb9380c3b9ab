import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export const MEETING_KINDS = ['director_office_meeting', 'party_group_meeting'] as const;
/** 局长办公会 or 党组会: the meeting whose decision the bureau records. */
export type MeetingKind = (typeof MEETING_KINDS)[number];

/** pending: recorded, waiting for the leader; signed: signed off, waiting for the batch release; released: the dossier moved. */
export type DecisionStatus = 'pending' | 'signed' | 'released';

/** The bureau's decision on one dossier (局务会研究, DOMAIN.md §5 stage 6): the meeting, the outcome, the leader's sign-off. */
@Entity({ name: 'application_decision' })
@Index('UQ_application_decision_open', ['applicationId'], { unique: true, where: `status IN ('pending', 'signed')` })
@Index('IDX_application_decision_call', ['callId', 'status'])
export class DossierDecision {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'application_id', type: 'uuid' })
  applicationId: string;

  @Column({ name: 'call_id', type: 'uuid' })
  callId: string;

  @Column({ type: 'varchar', length: 16 })
  outcome: 'approve' | 'reject';

  @Column({ type: 'text', nullable: true })
  comment: string | null;

  @Column({ name: 'meeting_kind', type: 'varchar', length: 32 })
  meetingKind: MeetingKind;

  @Column({ name: 'meeting_date', type: 'date' })
  meetingDate: string;

  /** e.g. 局长办公会纪要〔2027〕5号. */
  @Column({ name: 'meeting_reference', type: 'varchar', length: 100 })
  meetingReference: string;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status: DecisionStatus;

  @Column({ name: 'recorded_by', type: 'uuid' })
  recordedBy: string;

  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt: Date;

  @Column({ name: 'signed_by', type: 'uuid', nullable: true })
  signedBy: string | null;

  @Column({ name: 'signed_at', type: 'timestamptz', nullable: true })
  signedAt: Date | null;

  @Column({ name: 'release_id', type: 'uuid', nullable: true })
  releaseId: string | null;
}

/** One release of a call's signed decisions: their transitions, and so their mails, happen together. */
@Entity({ name: 'decision_release' })
export class DecisionRelease {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'call_id', type: 'uuid' })
  callId: string;

  @Column({ name: 'released_by', type: 'uuid' })
  releasedBy: string;

  @Column({ name: 'released_at', type: 'timestamptz' })
  releasedAt: Date;

  @Column({ name: 'application_ids', type: 'uuid', array: true })
  applicationIds: string[];
}

/** One recognition document (发文) for several platforms of a call: one document number and date for all of them. */
@Entity({ name: 'recognition_batch' })
@Index('UQ_recognition_batch_document_number', ['documentNumber'], { unique: true })
export class RecognitionBatch {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'call_id', type: 'uuid' })
  callId: string;

  @Column({ name: 'document_number', type: 'varchar', length: 64 })
  documentNumber: string;

  @Column({ name: 'recognised_on', type: 'date' })
  recognisedOn: string;

  @Column({ name: 'application_ids', type: 'uuid', array: true })
  applicationIds: string[];

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
