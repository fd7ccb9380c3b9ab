import { createHash, createHmac } from 'node:crypto';
import {
  type ChainVersion,
  type ChainedFields,
  type StoredCheckpoint,
  type StoredRow,
  auditKeys,
  canonicalJson,
  findBreakInStream,
  hashAuditRow,
  macCheckpoint,
  verifyAudit,
} from './audit-chain';

const keys = auditKeys('k'.repeat(40));

function chain(length: number, version: ChainVersion = 2, stream = 'user:1', firstId = 10): StoredRow[] {
  const rows: StoredRow[] = [];
  for (let i = 0; i < length; i++) {
    const fields: ChainedFields = {
      stream,
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
    rows.push({ ...fields, id: String(firstId + i), hash: hashAuditRow(fields, version, keys), chainVersion: version });
  }
  return rows;
}

/** Appends `more` rows after `rows` (same stream) with the given version. */
function extend(rows: StoredRow[], more: number, version: ChainVersion): StoredRow[] {
  const out = [...rows];
  for (let i = 0; i < more; i++) {
    const last = out.at(-1)!;
    const fields: ChainedFields = { ...last, streamSeq: last.streamSeq + 1, prevHash: last.hash, action: `later${i}` };
    out.push({ ...fields, id: String(Number(last.id) + 1), hash: hashAuditRow(fields, version, keys), chainVersion: version });
  }
  return out;
}

function checkpointsOf(...heads: StoredRow[][]): StoredCheckpoint[] {
  const checkpoints: StoredCheckpoint[] = [];
  for (const [index, rows] of heads.entries()) {
    const fields = {
      seq: index + 1,
      prevMac: checkpoints.at(-1)?.mac ?? null,
      createdAt: new Date(1_800_000_100_000 + index),
      heads: rows.map((row): [string, number, string] => [row.stream, row.streamSeq, row.hash]),
    };
    checkpoints.push({ ...fields, mac: macCheckpoint(fields, keys) });
  }
  return checkpoints;
}

describe('audit chain', () => {
  it('hashes independently of key order (jsonb reorders keys)', () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: 3 } })).toBe(canonicalJson({ a: { c: 3, d: 2 }, b: 1 }));
  });

  it('MACs the canonical JSON of the row under the row key (version 2); version 1 rows keep their plain sha256', () => {
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
    const material = canonicalJson([
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
    expect(hashAuditRow(row, 2, keys)).toBe(createHmac('sha256', keys.row).update(material).digest('hex'));
    expect(hashAuditRow(row, 1, keys)).toBe(createHash('sha256').update(material).digest('hex'));
    expect(hashAuditRow(row, 2, auditKeys('x'.repeat(40)))).not.toBe(hashAuditRow(row, 2, keys));
  });

  it('finds no break in an intact stream', () => {
    expect(findBreakInStream(chain(4), keys, 0)).toBeNull();
  });

  it('names the first edited row, also when its plain sha256 was recomputed', () => {
    const rows = chain(4);
    rows[2] = { ...rows[2], summary: { n: 99 } };
    expect(findBreakInStream(rows, keys, 0)).toEqual({ id: '12', stream: 'user:1', streamSeq: 3, reason: 'hash_mismatch' });
    const forged = { ...rows[3], action: 'forged' };
    rows[3] = { ...forged, hash: hashAuditRow(forged, 1, keys) };
    rows[2] = chain(4)[2];
    expect(findBreakInStream(rows, keys, 0)).toMatchObject({ id: '13', reason: 'hash_mismatch' });
    // Passed off as a legacy row, it is past the switch point.
    rows[3] = { ...rows[3], chainVersion: 1 };
    expect(findBreakInStream(rows, keys, 0)).toMatchObject({ id: '13', reason: 'legacy_after_switch' });
  });

  it('catches a deleted row as a sequence gap', () => {
    const rows = chain(4);
    expect(findBreakInStream([rows[0], rows[2], rows[3]], keys, 0)).toMatchObject({ id: '12', reason: 'sequence_gap' });
  });

  it('catches a deleted last row by the checkpoint that signed it, and an edited checkpoint', () => {
    const rows = chain(4);
    const checkpoints = checkpointsOf([rows[3]]);
    expect(verifyAudit(rows, checkpoints, keys).broken).toBeNull();
    expect(verifyAudit(rows.slice(0, 3), checkpoints, keys).broken).toEqual({
      stream: 'user:1',
      streamSeq: 4,
      checkpointSeq: 1,
      reason: 'checkpoint_head_missing',
    });
    const edited = [{ ...checkpoints[0], heads: [['user:1', 3, rows[2].hash]] as [string, number, string][] }];
    expect(verifyAudit(rows.slice(0, 3), edited, keys).broken).toEqual({ checkpointSeq: 1, reason: 'checkpoint_mac_mismatch' });
    expect(verifyAudit(rows, [], keys).broken).toEqual({ reason: 'checkpoint_missing' });
  });

  it('accepts legacy sha256 rows up to the heads the first checkpoint signed, and no further', () => {
    const legacy = chain(3, 1, 'organisation:9', 100);
    const grown = extend(legacy, 2, 2);
    const checkpoints = checkpointsOf([legacy[2]], [grown[4]]);
    expect(verifyAudit(grown, checkpoints, keys).broken).toBeNull();
    // Before any checkpoint, legacy rows stand as they are.
    expect(verifyAudit(legacy, [], keys).broken).toBeNull();
    // A legacy row appended after the switch point, or an old one rewritten, is refused.
    expect(verifyAudit(extend(legacy, 1, 1), checkpointsOf([legacy[2]]), keys).broken).toMatchObject({
      id: '103',
      reason: 'legacy_after_switch',
    });
    const rewritten = chain(3, 1, 'organisation:9', 100).map((row) => ({ ...row, summary: { forged: true } }));
    const rechained = rewritten.reduce<StoredRow[]>((out, row) => {
      const fields = { ...row, prevHash: out.at(-1)?.hash ?? null };
      return [...out, { ...fields, hash: hashAuditRow(fields, 1, keys) }];
    }, []);
    expect(verifyAudit(rechained, checkpointsOf([legacy[2]]), keys).broken).toMatchObject({ reason: 'checkpoint_head_mismatch' });
  });

  it('checks the anchor kept outside the database', () => {
    const rows = chain(2);
    const checkpoints = checkpointsOf([rows[0]], [rows[1]]);
    expect(verifyAudit(rows, checkpoints, keys, checkpoints[0].mac).broken).toBeNull();
    // The newest checkpoint and the row it signed deleted: the anchored MAC is gone with them.
    expect(verifyAudit(rows.slice(0, 1), checkpoints.slice(0, 1), keys, checkpoints[1].mac).broken).toEqual({ reason: 'anchor_not_found' });
  });
});
