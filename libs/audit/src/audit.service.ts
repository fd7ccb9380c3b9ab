import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { Clock, type Page, type PageQuery, offsetOf, pageOf } from '@app/common';
import { APP_CONFIG, type AppConfig, readAuditHmacKey } from '@app/config';
import { inTransaction } from '@app/database';
import { AuditCheckpoint } from './audit-checkpoint.entity';
import { AuditEvent } from './audit-event.entity';
import {
  type AuditKeys,
  CURRENT_CHAIN_VERSION,
  type ChainBreak,
  type ChainedFields,
  type SignedHead,
  type StoredCheckpoint,
  type StoredRow,
  auditKeys,
  hashAuditRow,
  macCheckpoint,
  verifyAudit,
} from './audit-chain';

export interface AuditActor {
  userId: string | null;
  role: string | null;
  ip: string | null;
}

export interface AuditEntry {
  action: string;
  objectType: string;
  objectId: string | null;
  summary?: Record<string, unknown>;
  /** Defaults to `<objectType>:<objectId>`; set it when the object has no id (e.g. an unknown login). */
  stream?: string;
}

export interface AuditFilter {
  actorUserId?: string;
  action?: string;
  objectType?: string;
  objectId?: string;
  from?: Date;
  to?: Date;
}

const LOCK_STREAM = 'SELECT pg_advisory_xact_lock(hashtextextended($1, 0))';
const LAST_OF_STREAM = 'SELECT stream_seq AS "streamSeq", hash FROM audit_event WHERE stream = $1 ORDER BY stream_seq DESC LIMIT 1';
const APPEND = `INSERT INTO audit_event (stream, stream_seq, prev_hash, hash, chain_version, actor_user_id, actor_role, action, object_type, object_id, occurred_at, ip, summary)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::jsonb) RETURNING id`;

/** Checkpoint writers take this lock, so checkpoints are numbered one after the other. */
const CHECKPOINT_LOCK = "SELECT pg_advisory_xact_lock(hashtextextended('audit_checkpoint', 0))";
/** Every stream's head that differs from the head the checkpoints signed last for it. */
const CHANGED_HEADS = `WITH current_heads AS (
         SELECT DISTINCT ON (stream) stream, stream_seq, hash FROM audit_event ORDER BY stream, stream_seq DESC
       ), signed_heads AS (
         SELECT DISTINCT ON (h->>0) h->>0 AS stream, (h->>1)::int AS stream_seq, h->>2 AS hash
           FROM audit_checkpoint c CROSS JOIN jsonb_array_elements(c.heads) h
          ORDER BY h->>0, c.seq DESC
       )
       SELECT c.stream, c.stream_seq AS "streamSeq", c.hash
         FROM current_heads c LEFT JOIN signed_heads s ON s.stream = c.stream
        WHERE s.stream_seq IS DISTINCT FROM c.stream_seq OR s.hash IS DISTINCT FROM c.hash
        ORDER BY c.stream COLLATE "C"`;

/** Appends audit rows inside the caller's transaction, signs checkpoints, and reads rows back for admins. */
@Injectable()
export class AuditService {
  private readonly keys: AuditKeys;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.keys = auditKeys(readAuditHmacKey(config));
  }

  /**
   * Appends one row to the object's chain. Call it with the manager of the transaction that makes the
   * change. The unique (stream, stream_seq) index refuses a second successor of the same row, so a
   * chain never forks.
   */
  async record(
    manager: EntityManager,
    actor: AuditActor,
    entry: AuditEntry,
    options: { streamLockedByCaller?: boolean } = {},
  ): Promise<AuditEvent> {
    const stream = entry.stream ?? `${entry.objectType}:${entry.objectId ?? '-'}`;
    // Held until commit: the next writer of this stream reads our row as its predecessor. A caller
    // that already holds a lock every writer of the stream takes (the dossier's row) may skip it.
    if (!options.streamLockedByCaller) await manager.query(LOCK_STREAM, [stream]);
    const [last]: { streamSeq: number; hash: string }[] = await manager.query(LAST_OF_STREAM, [stream]);
    const fields: ChainedFields = {
      stream,
      streamSeq: (last?.streamSeq ?? 0) + 1,
      prevHash: last?.hash ?? null,
      actorUserId: actor.userId,
      actorRole: actor.role,
      action: entry.action,
      objectType: entry.objectType,
      objectId: entry.objectId,
      // Millisecond precision: what JavaScript can read back and hash again.
      occurredAt: new Date(this.clock.now().getTime()),
      ip: actor.ip,
      summary: entry.summary ?? {},
    };
    const hash = hashAuditRow(fields, CURRENT_CHAIN_VERSION, this.keys);
    const [{ id }]: { id: string }[] = await manager.query(APPEND, [
      fields.stream,
      fields.streamSeq,
      fields.prevHash,
      hash,
      CURRENT_CHAIN_VERSION,
      fields.actorUserId,
      fields.actorRole,
      fields.action,
      fields.objectType,
      fields.objectId,
      fields.occurredAt,
      fields.ip,
      JSON.stringify(fields.summary),
    ]);
    return Object.assign(new AuditEvent(), fields, { id, hash, chainVersion: CURRENT_CHAIN_VERSION });
  }

  /** For actions with no other write (a denied request): its own short transaction. */
  recordAlone(actor: AuditActor, entry: AuditEntry): Promise<AuditEvent> {
    return inTransaction(this.dataSource, (manager) => this.record(manager, actor, entry));
  }

  /**
   * Signs the heads of every stream that changed since the last checkpoint, chained to it by MAC.
   * Returns null when nothing changed (and a checkpoint exists). The first checkpoint signs every
   * stream, which also fixes where the legacy sha256 rows end.
   */
  checkpoint(): Promise<AuditCheckpoint | null> {
    return inTransaction(this.dataSource, async (manager) => {
      await manager.query(CHECKPOINT_LOCK);
      const last = await manager.getRepository(AuditCheckpoint).findOne({ where: {}, order: { seq: 'DESC' } });
      const changed: { stream: string; streamSeq: number; hash: string }[] = await manager.query(CHANGED_HEADS);
      if (last && changed.length === 0) return null;
      const fields = {
        seq: (last?.seq ?? 0) + 1,
        prevMac: last?.mac ?? null,
        createdAt: new Date(this.clock.now().getTime()),
        heads: changed.map((head): SignedHead => [head.stream, head.streamSeq, head.hash]),
      };
      const checkpoint = Object.assign(new AuditCheckpoint(), fields, { mac: macCheckpoint(fields, this.keys) });
      await manager.insert(AuditCheckpoint, checkpoint);
      return checkpoint;
    });
  }

  latestCheckpoint(): Promise<AuditCheckpoint | null> {
    return this.dataSource.getRepository(AuditCheckpoint).findOne({ where: {}, order: { seq: 'DESC' } });
  }

  async list(filter: AuditFilter, page: PageQuery): Promise<Page<AuditEvent>> {
    const query = this.dataSource.getRepository(AuditEvent).createQueryBuilder('e');
    if (filter.actorUserId) query.andWhere('e.actor_user_id = :actor', { actor: filter.actorUserId });
    if (filter.action) query.andWhere('e.action = :action', { action: filter.action });
    if (filter.objectType) query.andWhere('e.object_type = :type', { type: filter.objectType });
    if (filter.objectId) query.andWhere('e.object_id = :objectId', { objectId: filter.objectId });
    if (filter.from) query.andWhere('e.occurred_at >= :from', { from: filter.from });
    if (filter.to) query.andWhere('e.occurred_at < :to', { to: filter.to });
    const [items, total] = await query.orderBy('e.id', 'DESC').skip(offsetOf(page)).take(page.pageSize).getManyAndCount();
    return pageOf(items, total, page);
  }

  /**
   * What `npm run audit:verify` checks, with this process's key: every stream and checkpoint, and
   * `expect` (a checkpoint MAC kept outside the database) in the checkpoint chain. Reads every row.
   */
  verify(expect?: string): Promise<AuditVerification> {
    return verifyWithKeys(this.dataSource, this.keys, expect);
  }
}

/**
 * Verifies every stream and every checkpoint (see verifyAudit); `expect` is a checkpoint MAC the
 * operator kept outside the database. Returns the rows checked, the first break and the latest checkpoint.
 */
export async function verifyAuditChains(dataSource: DataSource, secret: string, expect?: string): Promise<AuditVerification> {
  return verifyWithKeys(dataSource, auditKeys(secret), expect);
}

export interface AuditVerification {
  checked: number;
  broken: ChainBreak | null;
  latest: StoredCheckpoint | null;
}

async function verifyWithKeys(dataSource: DataSource, keys: AuditKeys, expect?: string): Promise<AuditVerification> {
  const rows: StoredRow[] = await dataSource
    .getRepository(AuditEvent)
    .createQueryBuilder('e')
    .orderBy('e.stream', 'ASC')
    .addOrderBy('e.stream_seq', 'ASC')
    .getMany();
  const checkpoints = await dataSource.getRepository(AuditCheckpoint).find({ order: { seq: 'ASC' } });
  return { checked: rows.length, ...verifyAudit(rows, checkpoints, keys, expect) };
}
