import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { Clock, type Page, type PageQuery, offsetOf, pageOf } from '@app/common';
import { type PreparedStatement, type Write, cteStatement, inTransaction, runPrepared } from '@app/database';
import { AuditEvent } from './audit-event.entity';
import { type ChainBreak, type ChainedFields, findBreakInStream, hashAuditRow, materialAfterPlace } from './audit-chain';

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

const LOCK_STREAM: PreparedStatement = {
  name: 'audit.lock_stream',
  text: 'SELECT pg_advisory_xact_lock(hashtextextended($1, 0))',
};
const LAST_OF_STREAM: PreparedStatement = {
  name: 'audit.last_of_stream',
  text: 'SELECT stream_seq AS "streamSeq", hash FROM audit_event WHERE stream = $1 ORDER BY stream_seq DESC LIMIT 1',
};
const APPEND: PreparedStatement = cteStatement('audit.append', {
  ctes: `{i} AS (
           INSERT INTO audit_event (stream, stream_seq, prev_hash, hash, actor_user_id, actor_role, action, object_type, object_id, occurred_at, ip, summary)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb) RETURNING id
         )`,
  results: { id: '(SELECT id FROM {i})' },
});

/**
 * The next row of a stream, placed and hashed inside the database: the statement reads the stream's
 * last row with its own snapshot, so sent after the lock every writer of the stream takes, it sees
 * the last row whoever wrote it. The material is `[prevHash, stream, streamSeq, <tail>` as in
 * hashAuditRow ($2: the stream as JSON, $3: the tail from materialAfterPlace).
 */
const APPEND_NEXT: PreparedStatement = cteStatement('audit.append_next', {
  ctes: `{h} AS (
           SELECT stream_seq, hash FROM audit_event WHERE stream = $1 ORDER BY stream_seq DESC LIMIT 1
         ), {p} AS (
           SELECT coalesce(h.stream_seq, 0) + 1 AS seq, h.hash AS prev FROM (SELECT 1) AS one LEFT JOIN {h} AS h ON true
         ), {i} AS (
           INSERT INTO audit_event (stream, stream_seq, prev_hash, hash, actor_user_id, actor_role, action, object_type, object_id, occurred_at, ip, summary)
           SELECT $1, p.seq, p.prev,
                  encode(sha256(convert_to('[' || coalesce('"' || p.prev || '"', 'null') || ',' || $2::text || ',' || p.seq::text || ',' || $3::text, 'UTF8')), 'hex'),
                  $4, $5, $6, $7, $8, $9, $10, $11::jsonb
             FROM {p} AS p
           RETURNING id
         )`,
  results: { id: '(SELECT id FROM {i})' },
});

/** The values of the columns after a row's place and hash, in the order APPEND and APPEND_NEXT take them. */
function rowValues(fields: Omit<ChainedFields, 'prevHash' | 'streamSeq'>): unknown[] {
  return [
    fields.actorUserId,
    fields.actorRole,
    fields.action,
    fields.objectType,
    fields.objectId,
    fields.occurredAt,
    fields.ip,
    JSON.stringify(fields.summary),
  ];
}

/** Appends audit rows inside the caller's transaction and reads them back for admins. */
@Injectable()
export class AuditService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** Appends one row to the object's chain. Call it with the manager of the transaction that makes the change. */
  async record(
    manager: EntityManager,
    actor: AuditActor,
    entry: AuditEntry,
    options: { streamLockedByCaller?: boolean } = {},
  ): Promise<AuditEvent> {
    const stream = entry.stream ?? `${entry.objectType}:${entry.objectId ?? '-'}`;
    // Held until commit: the next writer of this stream reads our row as its predecessor. A caller
    // that already holds a lock every writer of the stream takes (the dossier's row) may skip it.
    if (!options.streamLockedByCaller) await runPrepared(manager, LOCK_STREAM, [stream]);
    const last = (await runPrepared<{ streamSeq: number; hash: string }>(manager, LAST_OF_STREAM, [stream])).rows[0] ?? null;
    const write = this.appendWrite(actor, entry, last);
    const { rows } = await runPrepared<{ id: string }>(manager, write.statement, write.values);
    return Object.assign(new AuditEvent(), write.row, { id: rows[0].id });
  }

  /**
   * The row that follows `previous` in its chain, as a write for the caller's transaction to send.
   * The caller must hold a lock every writer of the stream takes (see `record`); the unique
   * (stream, stream_seq) index refuses a second successor of the same row, so a chain never forks.
   */
  appendWrite(
    actor: AuditActor,
    entry: AuditEntry,
    previous: { streamSeq: number; hash: string } | null,
  ): Write & { row: Omit<AuditEvent, 'id'> } {
    const fields = { ...this.entryFields(actor, entry), streamSeq: (previous?.streamSeq ?? 0) + 1, prevHash: previous?.hash ?? null };
    const hash = hashAuditRow(fields);
    return {
      statement: APPEND,
      values: [fields.stream, fields.streamSeq, fields.prevHash, hash, ...rowValues(fields)],
      row: { ...fields, hash },
    };
  }

  /**
   * The stream's next row as a write for the caller's transaction to send, placed after whatever row
   * is last when the statement runs. The caller must hold a lock every writer of the stream takes
   * (see `record`) before the statement starts; the unique (stream, stream_seq) index refuses a
   * second successor of the same row, so a chain never forks.
   */
  appendNextWrite(actor: AuditActor, entry: AuditEntry): Write {
    const fields = this.entryFields(actor, entry);
    return {
      statement: APPEND_NEXT,
      values: [fields.stream, JSON.stringify(fields.stream), materialAfterPlace(fields), ...rowValues(fields)],
    };
  }

  /** A row's fields apart from its place in the chain. */
  private entryFields(actor: AuditActor, entry: AuditEntry): Omit<ChainedFields, 'prevHash' | 'streamSeq'> {
    return {
      stream: entry.stream ?? `${entry.objectType}:${entry.objectId ?? '-'}`,
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
  }

  /** For actions with no other write (a denied request): its own short transaction. */
  recordAlone(actor: AuditActor, entry: AuditEntry): Promise<AuditEvent> {
    return inTransaction(this.dataSource, (manager) => this.record(manager, actor, entry));
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
}

/** Walks every stream in id order; returns the number of rows checked and the first break. */
export async function verifyAuditChains(dataSource: DataSource): Promise<{ checked: number; broken: ChainBreak | null }> {
  const rows: AuditEvent[] = await dataSource
    .getRepository(AuditEvent)
    .createQueryBuilder('e')
    .orderBy('e.stream', 'ASC')
    .addOrderBy('e.stream_seq', 'ASC')
    .getMany();
  let firstBreak: ChainBreak | null = null;
  let start = 0;
  for (let i = 1; i <= rows.length; i++) {
    if (i === rows.length || rows[i].stream !== rows[start].stream) {
      const broken = findBreakInStream(rows.slice(start, i));
      if (broken && (firstBreak === null || BigInt(broken.id) < BigInt(firstBreak.id))) firstBreak = broken;
      start = i;
    }
  }
  return { checked: rows.length, broken: firstBreak };
}
