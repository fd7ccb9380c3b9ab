import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One criterion of one expert's score sheet. */
@Entity({ name: 'review_score' })
@Index('UQ_review_score_assignment_criterion', ['assignmentId', 'criterion'], { unique: true })
export class Score {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'assignment_id', type: 'uuid' })
  assignmentId: string;

  @Column({ type: 'varchar', length: 64 })
  criterion: string;

  @Column({ type: 'double precision' })
  value: number;

  @Column({ type: 'text', nullable: true })
  comment: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
