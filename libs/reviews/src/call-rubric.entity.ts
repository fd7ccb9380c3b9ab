import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { Rubric } from './rubric';

/** A call's rubric and panel settings; a call without one uses its platform type's default. */
@Entity({ name: 'review_rubric' })
export class CallRubric {
  @PrimaryColumn({ name: 'call_id', type: 'uuid' })
  callId: string;

  @Column({ type: 'jsonb' })
  rubric: Rubric;

  @Column({ name: 'updated_by', type: 'uuid' })
  updatedBy: string;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
