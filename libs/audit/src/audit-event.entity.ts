import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { ChainVersion } from './audit-chain';

/**
 * One audited action. Append-only: a trigger refuses UPDATE, DELETE and TRUNCATE (migration
 * Audit1795795296771), and the application's role may only SELECT and INSERT (AppRoleGrants1796000004100).
 * Rows form one MAC chain per stream (see audit-chain.ts for why).
 */
@Entity({ name: 'audit_event' })
@Index('UQ_audit_event_stream_seq', ['stream', 'streamSeq'], { unique: true })
@Index('IDX_audit_event_object', ['objectType', 'objectId'])
@Index('IDX_audit_event_actor', ['actorUserId', 'occurredAt'])
@Index('IDX_audit_event_action', ['action', 'occurredAt'])
export class AuditEvent {
  /** Global insertion order, for listing; the chain itself is per stream. */
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  /** The chain this row belongs to, e.g. `user:<uuid>`, `organisation:<uuid>`. */
  @Column({ type: 'varchar', length: 100 })
  stream: string;

  @Column({ name: 'stream_seq', type: 'int' })
  streamSeq: number;

  @Column({ name: 'prev_hash', type: 'varchar', length: 64, nullable: true })
  prevHash: string | null;

  /** HMAC-SHA256 of the row under the audit key (sha256 for chain version 1), hex. */
  @Column({ type: 'varchar', length: 64 })
  hash: string;

  /** 1: written before the audit key, plain sha256; 2: HMAC-SHA256 (see audit-chain.ts). */
  @Column({ name: 'chain_version', type: 'smallint', default: 1 })
  chainVersion: ChainVersion;

  @Column({ name: 'actor_user_id', type: 'uuid', nullable: true })
  actorUserId: string | null;

  @Column({ name: 'actor_role', type: 'varchar', length: 24, nullable: true })
  actorRole: string | null;

  /** What happened, e.g. `auth.login`, `user.disabled`, `access.denied`. */
  @Column({ type: 'varchar', length: 64 })
  action: string;

  @Column({ name: 'object_type', type: 'varchar', length: 32 })
  objectType: string;

  @Column({ name: 'object_id', type: 'varchar', length: 64, nullable: true })
  objectId: string | null;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt: Date;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip: string | null;

  /** What changed, without secrets (never passwords or tokens). */
  @Column({ type: 'jsonb', default: {} })
  summary: Record<string, unknown>;
}
