import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { LegalForm } from './roles';

/** An applicant organisation (company, university, hospital ...), unique by 统一社会信用代码. */
@Entity({ name: 'organisation' })
@Index('UQ_organisation_credit_code', ['creditCode'], { unique: true })
@Index('IDX_organisation_region', ['regionCode'])
export class Organisation {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'credit_code', type: 'varchar', length: 18 })
  creditCode: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ name: 'legal_form', type: 'varchar', length: 32 })
  legalForm: LegalForm;

  /** County or zone code from the region table. */
  @Column({ name: 'region_code', type: 'varchar', length: 32 })
  regionCode: string;

  /** Industry codes from the industry table. */
  @Column({ name: 'industry_codes', type: 'text', array: true, default: () => "'{}'" })
  industryCodes: string[];

  @Column({ type: 'varchar', length: 300 })
  address: string;

  @Column({ name: 'contact_name', type: 'varchar', length: 100 })
  contactName: string;

  @Column({ name: 'contact_phone', type: 'varchar', length: 32 })
  contactPhone: string;

  @Column({ name: 'contact_email', type: 'varchar', length: 254, nullable: true })
  contactEmail: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
