import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** One step of a dossier's history: who did what, from which stage to which, with what comment. */
@Entity({ name: 'application_event' })
@Index('UQ_application_event_seq', ['applicationId', 'seq'], { unique: true })
export class ApplicationEvent {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'application_id', type: 'uuid' })
  applicationId: string;

  @Column({ type: 'int' })
  seq: number;

  @Column({ type: 'varchar', length: 32 })
  action: string;

  @Column({ name: 'from_stage', type: 'varchar', length: 32 })
  fromStage: string;

  @Column({ name: 'to_stage', type: 'varchar', length: 32 })
  toStage: string;

  @Column({ type: 'int' })
  round: number;

  @Column({ name: 'actor_user_id', type: 'uuid' })
  actorUserId: string;

  @Column({ name: 'actor_role', type: 'varchar', length: 24 })
  actorRole: string;

  @Column({ type: 'text', nullable: true })
  comment: string | null;

  /** The action's input (scores, document number), for the timeline and replay. */
  @Column({ type: 'jsonb', default: {} })
  input: Record<string, unknown>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
