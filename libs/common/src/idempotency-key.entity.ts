import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** A mutating request made with an Idempotency-Key, and the answer it got, so a retry gets the same answer. */
@Entity({ name: 'idempotency_key' })
@Index('IDX_idempotency_created', ['createdAt'])
export class IdempotencyKey {
  /** The signed-in caller's user id: keys are scoped per caller, and anonymous requests store none. */
  @PrimaryColumn({ type: 'varchar', length: 64 })
  owner: string;

  @PrimaryColumn({ type: 'varchar', length: 200 })
  key: string;

  /** sha256 of method, path and body: the same key with another request is refused. */
  @Column({ name: 'request_hash', type: 'char', length: 64 })
  requestHash: string;

  /** Written with the answer in the request's transaction: a key is never seen half done. */
  @Column({ type: 'int' })
  status: number;

  @Column({ type: 'jsonb' })
  response: unknown;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
