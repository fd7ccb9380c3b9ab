import { createHash, createHmac } from 'node:crypto';

/**
 * The chain. A single global chain would make every writing transaction wait for the one before
 * it (each needs the previous row's MAC before it can commit), so the chain is per stream: one
 * stream per audited object (`organisation:<id>`, `user:<id>`). Writers of the same object are
 * serialised by a transaction-scoped advisory lock on the stream, which they mostly hold anyway
 * through the object's row lock; writers of different objects never wait for each other.
 *
 * Each row carries an HMAC-SHA256 under a key the database does not hold (AUDIT_HMAC_KEY), so
 * whoever can write the table cannot compute a valid row. Deleting a stream's last rows leaves a
 * valid shorter chain, so the heads of every stream are signed periodically in checkpoints (their
 * own MAC chain, audit_checkpoint); the verifier checks that every stream still reaches each head
 * a checkpoint signed. Rows of versions before the key (chain version 1) carry a plain sha256; they
 * are accepted only up to the heads the first checkpoint signed, so a row forged with sha256 later
 * is refused, and an edit to an old row changes the signed head.
 */
export interface ChainedFields {
  stream: string;
  streamSeq: number;
  prevHash: string | null;
  actorUserId: string | null;
  actorRole: string | null;
  action: string;
  objectType: string;
  objectId: string | null;
  occurredAt: Date;
  ip: string | null;
  summary: Record<string, unknown>;
}

/** How a row's `hash` was computed: 1, plain sha256 (before the key); 2, HMAC-SHA256 under the audit key. */
export type ChainVersion = 1 | 2;
export const CURRENT_CHAIN_VERSION: ChainVersion = 2;

/** The two keys derived from AUDIT_HMAC_KEY: one for rows, one for checkpoints, so neither can stand for the other. */
export interface AuditKeys {
  readonly row: Buffer;
  readonly checkpoint: Buffer;
}

export function auditKeys(secret: string): AuditKeys {
  const derive = (purpose: string): Buffer => createHmac('sha256', secret).update(purpose).digest();
  return { row: derive('ouflow audit row v2'), checkpoint: derive('ouflow audit checkpoint v2') };
}

/** JSON with object keys sorted, so that jsonb's key reordering does not change the MAC. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** The canonical JSON of `[prevHash, stream, streamSeq, actorUserId, actorRole, action, objectType, objectId, occurredAt, ip, summary]`. */
function rowMaterial(row: ChainedFields): string {
  return canonicalJson([
    row.prevHash,
    row.stream,
    row.streamSeq,
    row.actorUserId,
    row.actorRole,
    row.action,
    row.objectType,
    row.objectId,
    row.occurredAt.toISOString(),
    row.ip,
    row.summary,
  ]);
}

/** The `hash` of a row: HMAC-SHA256 under the row key (version 2), or sha256 for rows written before the key (version 1). */
export function hashAuditRow(row: ChainedFields, version: ChainVersion, keys: AuditKeys): string {
  const material = rowMaterial(row);
  return version === 1
    ? createHash('sha256').update(material).digest('hex')
    : createHmac('sha256', keys.row).update(material).digest('hex');
}

/** One stream's head as a checkpoint signs it: [stream, stream_seq, hash]. */
export type SignedHead = [stream: string, streamSeq: number, hash: string];

export interface CheckpointFields {
  seq: number;
  prevMac: string | null;
  createdAt: Date;
  /** The heads that changed since the previous checkpoint (all of them in the first), sorted by stream. */
  heads: SignedHead[];
}

export function macCheckpoint(checkpoint: CheckpointFields, keys: AuditKeys): string {
  const material = canonicalJson([checkpoint.seq, checkpoint.prevMac, checkpoint.createdAt.toISOString(), checkpoint.heads]);
  return createHmac('sha256', keys.checkpoint).update(material).digest('hex');
}

export type AuditBreakReason =
  /** A row's MAC (or legacy hash) does not match its content. */
  | 'hash_mismatch'
  | 'prev_hash_mismatch'
  | 'sequence_gap'
  /** A plain-sha256 row past the head the first checkpoint signed for its stream: written or rewritten without the key. */
  | 'legacy_after_switch'
  /** A checkpoint signed a head that is no longer there (the stream's last rows were deleted). */
  | 'checkpoint_head_missing'
  /** A checkpoint signed a head whose row now carries another MAC. */
  | 'checkpoint_head_mismatch'
  | 'checkpoint_mac_mismatch'
  | 'checkpoint_sequence_gap'
  /** Audit rows exist but no checkpoint does (the checkpoints were deleted, or none was ever written). */
  | 'checkpoint_missing'
  /** The checkpoint MAC the operator anchored outside the database (`--expect`) is not in the chain. */
  | 'anchor_not_found';

/** The first break found: a row (`id` set), a signed head (`stream`, `streamSeq`), or a checkpoint (`checkpointSeq`). */
export interface ChainBreak {
  reason: AuditBreakReason;
  id?: string;
  stream?: string;
  streamSeq?: number;
  checkpointSeq?: number;
}

export type StoredRow = ChainedFields & { id: string; hash: string; chainVersion: ChainVersion };

/**
 * Checks the rows of one stream, in stream_seq order. `legacyHead` is the last stream_seq the first
 * checkpoint signed for this stream (0 when it signed none): version-1 rows are accepted only up to it.
 * Returns the first broken row or null.
 */
export function findBreakInStream(rows: StoredRow[], keys: AuditKeys, legacyHead: number): ChainBreak | null {
  let previous: string | null = null;
  for (const [index, row] of rows.entries()) {
    const at = { id: row.id, stream: row.stream, streamSeq: row.streamSeq };
    if (row.streamSeq !== index + 1) return { ...at, reason: 'sequence_gap' };
    if (row.prevHash !== previous) return { ...at, reason: 'prev_hash_mismatch' };
    if (row.chainVersion !== 2 && row.streamSeq > legacyHead) return { ...at, reason: 'legacy_after_switch' };
    if (hashAuditRow(row, row.chainVersion, keys) !== row.hash) return { ...at, reason: 'hash_mismatch' };
    previous = row.hash;
  }
  return null;
}

export interface StoredCheckpoint extends CheckpointFields {
  mac: string;
}

/**
 * Verifies everything: the checkpoint chain, every stream, and every head each checkpoint signed.
 * `rows` are ordered by stream, then stream_seq; `checkpoints` by seq. Before any checkpoint exists
 * (a database written only by versions before the key), version-1 rows are accepted as they are.
 */
export function verifyAudit(
  rows: StoredRow[],
  checkpoints: StoredCheckpoint[],
  keys: AuditKeys,
  expect?: string,
): { broken: ChainBreak | null; latest: StoredCheckpoint | null } {
  const latest = checkpoints.at(-1) ?? null;
  const broken = findBreak(rows, checkpoints, keys, expect);
  return { broken, latest };
}

function findBreak(rows: StoredRow[], checkpoints: StoredCheckpoint[], keys: AuditKeys, expect?: string): ChainBreak | null {
  let previousMac: string | null = null;
  for (const [index, checkpoint] of checkpoints.entries()) {
    if (checkpoint.seq !== index + 1 || checkpoint.prevMac !== previousMac)
      return { checkpointSeq: checkpoint.seq, reason: 'checkpoint_sequence_gap' };
    if (macCheckpoint(checkpoint, keys) !== checkpoint.mac) return { checkpointSeq: checkpoint.seq, reason: 'checkpoint_mac_mismatch' };
    previousMac = checkpoint.mac;
  }
  if (expect !== undefined && !checkpoints.some((checkpoint) => checkpoint.mac === expect.toLowerCase()))
    return { reason: 'anchor_not_found' };
  if (checkpoints.length === 0 && rows.some((row) => row.chainVersion === 2)) return { reason: 'checkpoint_missing' };

  const streams = new Map<string, StoredRow[]>();
  for (const row of rows) {
    const stream = streams.get(row.stream);
    if (stream) stream.push(row);
    else streams.set(row.stream, [row]);
  }
  // Before the first checkpoint nothing marks the switch: legacy rows stand as they are.
  const legacyHeads = checkpoints.length === 0 ? null : new Map(checkpoints[0].heads.map(([stream, seq]) => [stream, seq]));
  let firstBreak: ChainBreak | null = null;
  for (const [stream, streamRows] of streams) {
    const broken = findBreakInStream(streamRows, keys, legacyHeads === null ? Number.MAX_SAFE_INTEGER : (legacyHeads.get(stream) ?? 0));
    if (broken && (firstBreak === null || BigInt(broken.id ?? 0) < BigInt(firstBreak.id ?? 0))) firstBreak = broken;
  }
  if (firstBreak) return firstBreak;

  for (const checkpoint of checkpoints) {
    for (const [stream, streamSeq, hash] of checkpoint.heads) {
      const row = streams.get(stream)?.[streamSeq - 1];
      if (!row) return { stream, streamSeq, checkpointSeq: checkpoint.seq, reason: 'checkpoint_head_missing' };
      if (row.hash !== hash) return { id: row.id, stream, streamSeq, checkpointSeq: checkpoint.seq, reason: 'checkpoint_head_mismatch' };
    }
  }
  return null;
}
