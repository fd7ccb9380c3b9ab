/**
 * `npm run audit:verify [-- --expect <checkpoint mac>]`: verifies every audit chain and checkpoint and
 * reports the first break. Exit 0 when intact, 2 when something is broken, 64 on a bad argument.
 * `--expect` names a checkpoint MAC kept outside the database (from the logs or an earlier run): it
 * must be in the checkpoint chain, so deleting checkpoints and the rows they signed is caught too.
 * Uses DATABASE_URL and AUDIT_HMAC_KEY, or the embedded PostgreSQL and key under DATA_DIR.
 */
import { loadConfigOrExit, readAuditHmacKey } from '@app/config';
import { runCli, withAuditDatabase } from './audit-cli-support';
import type { ChainBreak } from './audit-chain';
import { verifyAuditChains } from './audit.service';

/** Names what broke: `row id 12 (stream user:1, seq 3)`, `stream user:1, seq 4 (checkpoint 2)`, `checkpoint 2`. */
function where(broken: ChainBreak): string {
  const place = broken.stream === undefined ? '' : `stream ${broken.stream}, seq ${broken.streamSeq}`;
  const checkpoint = broken.checkpointSeq === undefined ? '' : `checkpoint ${broken.checkpointSeq}`;
  if (broken.id !== undefined) return `row id ${broken.id} (${[place, checkpoint].filter(Boolean).join(', ')})`;
  if (place) return checkpoint ? `${place} (signed by ${checkpoint})` : place;
  return checkpoint || 'the checkpoint chain';
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  let expect: string | undefined;
  if (args.length > 0) {
    if (args[0] !== '--expect' || !/^[0-9a-fA-F]{64}$/.test(args[1] ?? '') || args.length !== 2) {
      process.stderr.write('Usage: audit-verify [--expect <checkpoint mac, 64 hex digits>]\n');
      return 64;
    }
    expect = args[1];
  }
  const config = loadConfigOrExit();
  const secret = readAuditHmacKey(config);
  return withAuditDatabase(config, async (dataSource, shownUrl) => {
    const { checked, broken, latest } = await verifyAuditChains(dataSource, secret, expect);
    if (broken) {
      process.stdout.write(`Audit chain BROKEN at ${where(broken)}: ${broken.reason}. ${checked} rows checked in ${shownUrl}.\n`);
      return 2;
    }
    process.stdout.write(`Audit chain intact: ${checked} rows checked in ${shownUrl}.\n`);
    if (latest) process.stdout.write(`Latest checkpoint: ${latest.seq} ${latest.mac} (${latest.createdAt.toISOString()}).\n`);
    return 0;
  });
}

runCli(main);
