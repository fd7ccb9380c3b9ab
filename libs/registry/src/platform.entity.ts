import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { PlatformLevel, PlatformTypeCode } from '@app/reference';
import type { PlatformSource, PlatformStatus, RevocationReason } from './registry.types';

/**
 * A recognised platform (DOMAIN.md §1, §7). A promotion is a new record linked to the one it was
 * promoted from; both keep their history. `lineageId` is the root of that chain, stored so that
 * a lineage counts once toward a target.
 */
@Entity({ name: 'platform' })
@Index('UQ_platform_document_name_level', ['documentNumber', 'name', 'level'], { unique: true })
@Index('UQ_platform_application', ['applicationId'], { unique: true, where: '"application_id" IS NOT NULL' })
@Index('IDX_platform_counting', ['type', 'level', 'recognisedOn', 'revokedOn', 'lineageId'])
@Index('IDX_platform_active_county', ['countyCode', 'type', 'level'], { where: `"status" = 'active'` })
@Index('IDX_platform_lineage', ['lineageId'])
@Index('IDX_platform_organisation', ['organisationId'])
export class Platform {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'varchar', length: 32 })
  type: PlatformTypeCode;

  @Column({ type: 'varchar', length: 16 })
  level: PlatformLevel;

  @Column({ type: 'varchar', length: 32, nullable: true })
  subtype: string | null;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ name: 'organisation_id', type: 'uuid', nullable: true })
  organisationId: string | null;

  /** The host or operating organisation (依托单位 / 运营机构). */
  @Column({ name: 'organisation_name', type: 'varchar', length: 200 })
  organisationName: string;

  @Column({ name: 'credit_code', type: 'varchar', length: 18, nullable: true })
  creditCode: string | null;

  /** County or zone where the platform is. */
  @Column({ name: 'region_code', type: 'varchar', length: 32 })
  regionCode: string;

  /** The county it counts toward: a zone's parent county, derived from the region table at write time. */
  @Column({ name: 'county_code', type: 'varchar', length: 32 })
  countyCode: string;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  industries: string[];

  @Column({ name: 'recognised_on', type: 'date' })
  recognisedOn: string;

  @Column({ name: 'document_number', type: 'varchar', length: 100 })
  documentNumber: string;

  @Column({ type: 'varchar', length: 16, default: 'active' })
  status: PlatformStatus;

  /** Stops counting from this day on. */
  @Column({ name: 'revoked_on', type: 'date', nullable: true })
  revokedOn: string | null;

  @Column({ name: 'revocation_reason', type: 'varchar', length: 32, nullable: true })
  revocationReason: RevocationReason | null;

  @Column({ name: 'revocation_document_number', type: 'varchar', length: 100, nullable: true })
  revocationDocumentNumber: string | null;

  /** Fraud: the organisation may not apply again before this day. */
  @Column({ name: 'reapplication_banned_until', type: 'date', nullable: true })
  reapplicationBannedUntil: string | null;

  /**
   * A revocation the registry suggests to the bureau (two failing grades in a row, a failed
   * rectification): a flag for the officers to act on, cleared when the platform is revoked.
   */
  @Column({ name: 'revocation_suggested_reason', type: 'varchar', length: 32, nullable: true })
  revocationSuggestedReason: RevocationReason | null;

  @Column({ name: 'revocation_suggested_on', type: 'date', nullable: true })
  revocationSuggestedOn: string | null;

  @Column({ name: 'promoted_from_id', type: 'uuid', nullable: true })
  promotedFromId: string | null;

  @Column({ name: 'lineage_id', type: 'uuid' })
  lineageId: string;

  /** Set when recognised through Ouflow's procedure. */
  @Column({ name: 'application_id', type: 'uuid', nullable: true })
  applicationId: string | null;

  /** 专业运营机构: counts toward incubation.operators. */
  @Column({ name: 'professional_operator', type: 'boolean', default: false })
  professionalOperator: boolean;

  @Column({ type: 'varchar', length: 16 })
  source: PlatformSource;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
