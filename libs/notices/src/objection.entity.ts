import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type ObjectorType = 'person' | 'organisation';
export type ObjectionStatus = 'open' | 'upheld' | 'dismissed';

/**
 * An objection (异议) lodged against a candidate during its notice. The objector's identity
 * (name, unit, contact) is what the investigation needs to reach them and nothing more; only
 * bureau officers read it, and the public answer is the receipt number alone.
 */
@Entity({ name: 'notice_objection' })
@Index('IDX_notice_objection_notice', ['noticeId'])
@Index('IDX_notice_objection_application', ['applicationId', 'status'])
@Index('UQ_notice_objection_receipt', ['receipt'], { unique: true })
export class Objection {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'notice_id', type: 'uuid' })
  noticeId: string;

  @Column({ name: 'candidate_id', type: 'uuid' })
  candidateId: string;

  @Column({ name: 'application_id', type: 'uuid' })
  applicationId: string;

  /** `YY-XXXXXXXX`: 40 random bits, so receipts cannot be enumerated. */
  @Column({ type: 'varchar', length: 16 })
  receipt: string;

  @Column({ name: 'objector_type', type: 'varchar', length: 16 })
  objectorType: ObjectorType;

  /** A person's real name, or an organisation's contact person; null once purged. */
  @Column({ name: 'objector_name', type: 'varchar', length: 50, nullable: true })
  objectorName: string | null;

  @Column({ name: 'organisation_name', type: 'varchar', length: 200, nullable: true })
  organisationName: string | null;

  /** A phone number or an email address to reach the objector; null once purged. */
  @Column({ type: 'varchar', length: 100, nullable: true })
  contact: string | null;

  @Column({ type: 'text' })
  text: string;

  /** An organisation's sealed letter (PDF), sent after the objection with its receipt; checked as a PDF by the API. */
  @Column({ type: 'bytea', nullable: true, select: false })
  letter: Buffer | null;

  @Column({ name: 'letter_received_at', type: 'timestamptz', nullable: true })
  letterReceivedAt: Date | null;

  @Column({ type: 'varchar', length: 16, default: 'open' })
  status: ObjectionStatus;

  /** For an upheld objection: where the candidate went. */
  @Column({ name: 'upheld_outcome', type: 'varchar', length: 16, nullable: true })
  upheldOutcome: 'decision' | 'rejected' | null;

  @Column({ type: 'text', nullable: true })
  resolution: string | null;

  @Column({ name: 'decided_by', type: 'uuid', nullable: true })
  decidedBy: string | null;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  @Column({ name: 'lodged_at', type: 'timestamptz' })
  lodgedAt: Date;

  /**
   * When the objector's name, unit, contact and letter were erased: the retention period after the
   * notice's objections were all closed had passed (OBJECTOR_DATA_RETENTION_DAYS). The receipt, the
   * text, the outcome and the audit trail stay.
   */
  @Column({ name: 'personal_data_purged_at', type: 'timestamptz', nullable: true })
  personalDataPurgedAt: Date | null;
}
