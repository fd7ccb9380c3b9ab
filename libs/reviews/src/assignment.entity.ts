import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type Declaration = 'none' | 'no_conflict' | 'conflict';

/** An expert's seat on a panel: a member, or a reserve called in when a member declares a conflict. */
@Entity({ name: 'review_assignment' })
@Index('UQ_review_assignment_panel_expert', ['panelId', 'expertId'], { unique: true })
@Index('IDX_review_assignment_expert', ['expertId'])
export class Assignment {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'panel_id', type: 'uuid' })
  panelId: string;

  @Column({ name: 'expert_id', type: 'uuid' })
  expertId: string;

  /** Place in the draw (members first, then reserves): a replayed seed gives the same order. */
  @Column({ name: 'draw_position', type: 'int' })
  drawPosition: number;

  /** Null for a member; 1, 2 ... for reserves in the order they are called in. */
  @Column({ name: 'reserve_rank', type: 'int', nullable: true })
  reserveRank: number | null;

  /** Sits on the panel now: members from the draw, reserves once called in; false after a conflict. */
  @Column({ type: 'boolean' })
  active: boolean;

  @Column({ type: 'varchar', length: 16, default: 'none' })
  declaration: Declaration;

  @Column({ name: 'declared_at', type: 'timestamptz', nullable: true })
  declaredAt: Date | null;

  @Column({ name: 'conflict_reason', type: 'text', nullable: true })
  conflictReason: string | null;

  /** The reserve's assignment that took this seat after a conflict. */
  @Column({ name: 'replaced_by', type: 'uuid', nullable: true })
  replacedBy: string | null;

  /** Last working day to declare (YYYY-MM-DD), set when the seat becomes active; its reminders run to it. */
  @Column({ name: 'declaration_due', type: 'date', nullable: true })
  declarationDue: string | null;

  /** Last working day to score (YYYY-MM-DD), set with the declaration's. */
  @Column({ name: 'scoring_due', type: 'date', nullable: true })
  scoringDue: string | null;

  @Column({ name: 'scored_at', type: 'timestamptz', nullable: true })
  scoredAt: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
