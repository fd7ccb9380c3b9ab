/**
 * `npm run audit:checkpoint`: signs the heads of every audit stream now (the worker also does it
 * periodically) and prints the checkpoint's MAC, to be kept outside the database and passed to
 * `audit:verify --expect`. Uses DATABASE_URL and AUDIT_HMAC_KEY, or the embedded defaults.
 */
import { SystemClock } from '@app/common';
import { loadConfigOrExit } from '@app/config';
import { runCli, withAuditDatabase } from './audit-cli-support';
import { AuditService } from './audit.service';

async function main(): Promise<number> {
  const config = loadConfigOrExit();
  return withAuditDatabase(config, async (dataSource) => {
    const audit = new AuditService(dataSource, new SystemClock(), config);
    const written = await audit.checkpoint();
    const latest = written ?? (await audit.latestCheckpoint());
    if (latest) process.stdout.write(`Audit checkpoint ${latest.seq} ${latest.mac}${written ? '' : ' (nothing changed since)'}\n`);
    return 0;
  });
}

runCli(main);
