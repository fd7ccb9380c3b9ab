import { createHash } from 'node:crypto';

/**
 * The hash chain. A single global chain would make every writing transaction wait for the one
 * before it (each needs the previous row's hash before it can commit), so the chain is per
 * stream: one stream per audited object (`organisation:<id>`, `user:<id>`). Writers of the same
 * object are serialised by a transaction-scoped advisory lock on the stream, which they mostly
 * hold anyway through the object's row lock; writers of different objects never wait for each
 * other. The verifier walks every stream; `stream_seq` must run 1, 2, 3 ... without gaps, so a
 * deleted row in the middle of a stream is caught as well as an edited one.
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

/** JSON with object keys sorted, so that jsonb's key reordering does not change the hash. */
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

/**
 * The hashed material of a row after its place in the chain: `hashAuditRow` hashes
 * `[prevHash, stream, streamSeq, ...]`, and a writer that learns its place only inside the database
 * (AuditService.appendNextWrite) sends this tail and lets SQL put the place in front of it.
 */
export function materialAfterPlace(row: Omit<ChainedFields, 'prevHash' | 'stream' | 'streamSeq'>): string {
  return canonicalJson([
    row.actorUserId,
    row.actorRole,
    row.action,
    row.objectType,
    row.objectId,
    row.occurredAt.toISOString(),
    row.ip,
    row.summary,
  ]).slice(1);
}

/**
 * sha256 over the canonical JSON of `[prevHash, stream, streamSeq, actorUserId, actorRole, action,
 * objectType, objectId, occurredAt, ip, summary]`: the place in the chain, then materialAfterPlace.
 */
export function hashAuditRow(row: ChainedFields): string {
  const place = [row.prevHash, row.stream, row.streamSeq].map(canonicalJson).join(',');
  return createHash('sha256')
    .update(`[${place},${materialAfterPlace(row)}`)
    .digest('hex');
}

export interface ChainBreak {
  id: string;
  stream: string;
  streamSeq: number;
  reason: 'hash_mismatch' | 'prev_hash_mismatch' | 'sequence_gap';
}

/**
 * Checks the rows of one stream, in stream_seq order. Returns the first broken row or null.
 */
export function findBreakInStream(rows: (ChainedFields & { id: string; hash: string })[]): ChainBreak | null {
  let previous: string | null = null;
  for (const [index, row] of rows.entries()) {
    const at = { id: row.id, stream: row.stream, streamSeq: row.streamSeq };
    if (row.streamSeq !== index + 1) return { ...at, reason: 'sequence_gap' };
    if (row.prevHash !== previous) return { ...at, reason: 'prev_hash_mismatch' };
    if (hashAuditRow(row) !== row.hash) return { ...at, reason: 'hash_mismatch' };
    previous = row.hash;
  }
  return null;
}
