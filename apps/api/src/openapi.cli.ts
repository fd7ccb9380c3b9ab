import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CONTRACT_FILES, renderContract } from './openapi-contract';

/** `npm run openapi`: writes the API's document and the client's types, which a test compares with the code. */
async function main(): Promise<void> {
  const root = resolve(__dirname, '../../../..');
  const files = await renderContract(root);
  for (const key of Object.keys(CONTRACT_FILES) as (keyof typeof CONTRACT_FILES)[]) {
    writeFileSync(join(root, CONTRACT_FILES[key]), files[key]);
    process.stdout.write(`wrote ${CONTRACT_FILES[key]}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
