import { benchDeadline } from './deadline.bench';
import { benchHealth } from './http.bench';
import { benchMe } from './me.bench';
import { benchMail } from './mail.bench';
import { benchTransitions } from './transitions.bench';
import { type Row, printTable } from './support';
import { benchTargets } from './targets.bench';

/** `npm run bench [-- name ...]`: runs the benchmarks and prints each figure beside its baseline. */
const BENCHMARKS: Record<string, () => Promise<Row[]>> = {
  health: benchHealth,
  me: benchMe,
  mail: benchMail,
  targets: benchTargets,
  transitions: benchTransitions,
  deadline: benchDeadline,
};

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const names = wanted.length > 0 ? wanted : Object.keys(BENCHMARKS);
  const rows: Row[] = [];
  for (const name of names) {
    const bench = BENCHMARKS[name];
    if (!bench) throw new Error(`Unknown benchmark "${name}": ${Object.keys(BENCHMARKS).join(', ')}`);
    process.stderr.write(`running ${name} ...\n`);
    rows.push(...(await bench()));
  }
  printTable(rows);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
