import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Stage } from '@app/workflow';

/**
 * A call's appeal settings (复核). No Zhejiang or Wenzhou rule was found: appeals are on by default
 * with a window of 10 working days (DOMAIN.md §5, `assumption`), and a bureau may turn them off.
 */
@Entity({ name: 'appeal_terms' })
export class AppealTerms {
  @PrimaryColumn({ name: 'call_id', type: 'uuid' })
  callId: string;

  @Column({ type: 'boolean' })
  enabled: boolean;

  @Column({ name: 'window_days', type: 'integer' })
  windowDays: number;

  /** Where an upheld appeal sends the dossier back to. */
  @Column({ name: 'return_to', type: 'varchar', length: 32 })
  returnTo: Stage;

  @Column({ name: 'updated_by', type: 'uuid' })
  updatedBy: string;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
