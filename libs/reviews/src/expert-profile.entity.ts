import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { DeclaredLink } from './avoidance';

/** What the draw needs about an expert beyond the account (expertise and employer live on app_user). */
@Entity({ name: 'review_expert_profile' })
export class ExpertProfile {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  /** County or zone code where the expert lives or works, for the same-county rule. */
  @Column({ type: 'varchar', length: 32, nullable: true })
  county: string | null;

  @Column({ type: 'boolean', default: true })
  available: boolean;

  /** Panel seats a calendar year (Qingdao practice: 10, DOMAIN.md §5). */
  @Column({ name: 'yearly_cap', type: 'int', default: 10 })
  yearlyCap: number;

  /** Past or present employment and other links the expert declared. */
  @Column({ name: 'declared_links', type: 'jsonb', default: () => "'[]'" })
  declaredLinks: DeclaredLink[];

  @Column({ name: 'updated_by', type: 'uuid' })
  updatedBy: string;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
