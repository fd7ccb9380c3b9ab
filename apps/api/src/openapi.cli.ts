import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CONTRACT_FILES } from './openapi';
import { renderContract } from './openapi-contract';

const FILES = Object.keys(CONTRACT_FILES) as (keyof typeof CONTRACT_FILES)[];

/** The first line where two texts differ, for a message a person can act on. */
function firstDifference(committed: string, generated: string): string {
  const [a, b] = [committed.split('\n'), generated.split('\n')];
  const at = b.findIndex((line, index) => line !== a[index]);
  const line = at === -1 ? a.length : at;
  return `first difference at line ${line + 1}:\n  committed: ${a[line] ?? '(end of file)'}\n  generated: ${b[line] ?? '(end of file)'}`;
}

/**
 * `npm run openapi` writes the API's document and the client's types from the code;
 * with --check it writes nothing and fails when the committed files differ (npm test runs it).
 */
async function main(): Promise<void> {
  const root = resolve(__dirname, '../../../..');
  const check = process.argv.includes('--check');
  const files = await renderContract(root);
  const stale: string[] = [];
  for (const key of FILES) {
    const path = join(root, CONTRACT_FILES[key]);
    if (!check) {
      writeFileSync(path, files[key]);
      process.stdout.write(`wrote ${CONTRACT_FILES[key]}\n`);
      continue;
    }
    let committed = '';
    try {
      committed = readFileSync(path, 'utf8');
    } catch {
      // A missing file is stale like any other.
    }
    if (committed !== files[key]) stale.push(`${CONTRACT_FILES[key]}: ${firstDifference(committed, files[key])}`);
  }
  if (stale.length > 0) {
    process.stderr.write(
      `The committed contract does not match the code. Run \`npm run openapi\` and commit the result.\n${stale.join('\n')}\n`,
    );
    process.exit(1);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
