import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** `listed` while on the notice; `closed` when the notice closed; `upheld` when an upheld objection took it off. */
export type CandidateOutcome = 'listed' | 'closed' | 'upheld';

/**
 * A dossier on a notice, with exactly what the public page shows of it, copied when published:
 * name, type, level, county, host organisation. Nothing else of the dossier is ever public.
 */
@Entity({ name: 'notice_candidate' })
@Index('IDX_notice_candidate_notice', ['noticeId'])
@Index('UQ_notice_candidate_listed', ['applicationId'], { unique: true, where: `outcome = 'listed'` })
export class NoticeCandidate {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'notice_id', type: 'uuid' })
  noticeId: string;

  @Column({ name: 'application_id', type: 'uuid' })
  applicationId: string;

  @Column({ type: 'integer' })
  position: number;

  @Column({ type: 'varchar', length: 40, nullable: true })
  number: string | null;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ name: 'platform_type', type: 'varchar', length: 32 })
  platformType: string;

  @Column({ type: 'varchar', length: 16 })
  level: string;

  @Column({ name: 'region_code', type: 'varchar', length: 32 })
  regionCode: string;

  @Column({ name: 'county_name', type: 'varchar', length: 64 })
  countyName: string;

  @Column({ name: 'host_organisation_name', type: 'varchar', length: 200 })
  hostOrganisationName: string;

  @Column({ type: 'varchar', length: 16, default: 'listed' })
  outcome: CandidateOutcome;
}
