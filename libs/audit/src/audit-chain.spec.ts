import { createHash } from 'node:crypto';
import { type ChainedFields, canonicalJson, findBreakInStream, hashAuditRow } from './audit-chain';

function chain(length: number): (ChainedFields & { id: string; hash: string })[] {
  const rows: (ChainedFields & { id: string; hash: string })[] = [];
  for (let i = 0; i < length; i++) {
    const fields: ChainedFields = {
      stream: 'user:1',
      streamSeq: i + 1,
      prevHash: rows[i - 1]?.hash ?? null,
      actorUserId: null,
      actorRole: 'admin',
      action: `a${i}`,
      objectType: 'user',
      objectId: '1',
      occurredAt: new Date(1_800_000_000_000 + i),
      ip: '127.0.0.1',
      summary: { n: i, nested: { b: 1, a: [1, 'x'] } },
    };
    rows.push({ ...fields, id: String(10 + i), hash: hashAuditRow(fields) });
  }
  return rows;
}

describe('audit chain', () => {
  it('hashes independently of key order (jsonb reorders keys)', () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: 3 } })).toBe(canonicalJson({ a: { c: 3, d: 2 }, b: 1 }));
  });

  it('hashes the canonical JSON of the row, its place in the chain first (the material SQL completes for transitions)', () => {
    const definition = (row: ChainedFields): string =>
      createHash('sha256')
        .update(
          canonicalJson([
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
          ]),
        )
        .digest('hex');
    const row: ChainedFields = {
      stream: 'application:7',
      streamSeq: 3,
      prevHash: 'ab'.repeat(32),
      actorUserId: null,
      actorRole: 'bureau_officer',
      action: 'application.approve',
      objectType: 'application',
      objectId: '7',
      occurredAt: new Date(1_800_000_000_123),
      ip: null,
      summary: { 意见: '同意,\n"认定"', z: [1, { b: 2, a: null }] },
    };
    expect(hashAuditRow(row)).toBe(definition(row));
    const first = { ...row, prevHash: null, streamSeq: 1 };
    expect(hashAuditRow(first)).toBe(definition(first));
  });

  it('finds no break in an intact stream', () => {
    expect(findBreakInStream(chain(4))).toBeNull();
  });

  it('names the first edited row', () => {
    const rows = chain(4);
    rows[2] = { ...rows[2], summary: { n: 99 } };
    expect(findBreakInStream(rows)).toEqual({ id: '12', stream: 'user:1', streamSeq: 3, reason: 'hash_mismatch' });
  });

  it('catches a deleted row as a sequence gap, and a re-hashed row by its successor', () => {
    const rows = chain(4);
    expect(findBreakInStream([rows[0], rows[2], rows[3]])).toMatchObject({ id: '12', reason: 'sequence_gap' });
    const forged = { ...rows[1], action: 'forged' };
    const rehashed = { ...forged, hash: hashAuditRow(forged) };
    expect(findBreakInStream([rows[0], rehashed, rows[2], rows[3]])).toMatchObject({ id: '12', reason: 'prev_hash_mismatch' });
  });
});
