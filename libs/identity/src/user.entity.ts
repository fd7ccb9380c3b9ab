import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { Organisation } from './organisation.entity';
import type { Role, UserLocale } from './roles';

/** An account. One role each, with the scope that role needs (DOMAIN.md §8). */
@Entity({ name: 'app_user' })
@Index('UQ_app_user_email', ['email'], { unique: true })
@Index('IDX_app_user_organisation', ['organisationId'])
@Index('IDX_app_user_region', ['regionCode'])
@Check(
  'CHK_app_user_scope',
  `("role" <> 'applicant' OR "organisation_id" IS NOT NULL) AND ("role" <> 'county_officer' OR "region_code" IS NOT NULL)`,
)
export class User {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  /** Stored lower-case. */
  @Column({ type: 'varchar', length: 254 })
  email: string;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'varchar', length: 24 })
  role: Role;

  @Column({ name: 'organisation_id', type: 'uuid', nullable: true })
  organisationId: string | null;

  @ManyToOne(() => Organisation, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'organisation_id' })
  organisation?: Organisation;

  /** The organisation's first user, who may invite members. */
  @Column({ name: 'is_organisation_owner', type: 'boolean', default: false })
  isOrganisationOwner: boolean;

  /** County officers: their county or zone. */
  @Column({ name: 'region_code', type: 'varchar', length: 32, nullable: true })
  regionCode: string | null;

  /** Experts: fields of expertise (industry codes). */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  expertise: string[];

  /** Experts: employer, for conflict-of-interest checks. */
  @Column({ name: 'employer_name', type: 'varchar', length: 200, nullable: true })
  employerName: string | null;

  @Column({ name: 'employer_credit_code', type: 'varchar', length: 18, nullable: true })
  employerCreditCode: string | null;

  @Column({ type: 'varchar', length: 8, default: 'zh-CN' })
  locale: UserLocale;

  /** argon2id; null until the user sets a password (staff and invited members). */
  @Column({ name: 'password_hash', type: 'varchar', length: 255, nullable: true })
  passwordHash: string | null;

  @Column({ name: 'email_verified_at', type: 'timestamptz', nullable: true })
  emailVerifiedAt: Date | null;

  @Column({ type: 'boolean', default: false })
  disabled: boolean;

  @Column({ name: 'last_login_at', type: 'timestamptz', nullable: true })
  lastLoginAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
