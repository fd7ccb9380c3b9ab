import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** A mutating request made with an Idempotency-Key, and the answer it got, so a retry gets the same answer. */
@Entity({ name: 'idempotency_key' })
@Index('IDX_idempotency_created', ['createdAt'])
export class IdempotencyKey {
  /** The caller: a user id, or `anonymous` for public routes. Keys are scoped per caller. */
  @PrimaryColumn({ type: 'varchar', length: 64 })
  owner: string;

  @PrimaryColumn({ type: 'varchar', length: 200 })
  key: string;

  /** sha256 of method, path and body: the same key with another request is refused. */
  @Column({ name: 'request_hash', type: 'char', length: 64 })
  requestHash: string;

  /** Null while the first request is still running. */
  @Column({ type: 'int', nullable: true })
  status: number | null;

  @Column({ type: 'jsonb', nullable: true })
  response: unknown;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
