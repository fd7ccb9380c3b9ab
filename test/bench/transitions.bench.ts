import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { runMigrations, startEmbeddedPostgres } from '@app/database';
import { makeOrganisation, makeUser } from '../../libs/identity/src/testing/identity-fixtures';
import { ENTITIES_GLOB } from '@app/database';
import { countingCatcher } from './mail.bench';
import { type Row, cpuSeconds, freePort, jsonClient, perSecond, rssMegabytes, startBuilt, waitForHttp, watchRss } from './support';

const DOSSIERS = 16_000;
/** Rounds of pgbench then transitions, alternating; the medians are reported (single runs vary by half here). */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CLIENTS = 4; // two per core on this 2-core machine
const SECONDS = 10;
/** Unmeasured load first, so the JIT has compiled the hot paths (as on a server that has been up a while). */
const WARM_UP_SECONDS = 5;
/** A/B mode (BENCH_AB_DIST, BENCH_AB_NODE_ARGS, BENCH_AB_NODE): pairs of 2 s runs, one on each API. */
const AB_PAIRS = Number(process.env.BENCH_AB_PAIRS ?? 20);

/** The bureau's forward path after formal review; each step is one transition through POST /applications/:id/actions. */
const PATH: { action: string; input: Record<string, unknown> }[] = [
  { action: 'pass_formal_review', input: {} },
  { action: 'record_expert_result', input: { passed: true, score: 80 } },
  { action: 'record_inspection', input: { passed: true, score: 85 } },
  { action: 'approve', input: {} },
  { action: 'publish_notice', input: {} },
  { action: 'close_notice', input: { objectionUpheld: false } },
];

function pgbenchArgs(url: string): { env: NodeJS.ProcessEnv; args: string[] } {
  const u = new URL(url);
  return {
    env: { ...process.env, PGPASSWORD: u.password },
    args: ['-h', u.hostname, '-p', u.port, '-U', decodeURIComponent(u.username), u.pathname.slice(1)],
  };
}

function pgbenchInit(url: string): void {
  const { env, args } = pgbenchArgs(url);
  execFileSync('pgbench', ['-i', '-s', '4', '-q', ...args], { env, stdio: 'ignore' });
}

function pgbench(url: string): number {
  const { env, args } = pgbenchArgs(url);
  const out = execFileSync('pgbench', ['-b', 'tpcb-like', '-c', String(CLIENTS), '-j', '2', '-T', String(SECONDS), ...args], {
    env,
  }).toString();
  const tps = /tps = ([\d.]+)/.exec(out);
  if (!tps) throw new Error(`unexpected pgbench output: ${out}`);
  return Number(tps[1]);
}

/** The server's WAL insert position, as an LSN and in bytes: what a round wrote, including what the worker wrote meanwhile. */
async function walPosition(db: DataSource): Promise<{ lsn: string; bytes: number }> {
  const [row]: { lsn: string; bytes: string }[] = await db.query(
    `SELECT pg_current_wal_insert_lsn()::text AS lsn, pg_wal_lsn_diff(pg_current_wal_insert_lsn(), '0/0')::text AS bytes`,
  );
  return { lsn: row.lsn, bytes: Number(row.bytes) };
}

/** What a round wrote to the WAL, by relation and record type, per transition (BENCH_WAL_STATS=1; needs pg_walinspect). */
async function printWalStats(db: DataSource, from: string, transitions: number): Promise<void> {
  await db.query(`CREATE EXTENSION IF NOT EXISTS pg_walinspect`);
  const rows: { what: string; blocks: string; data: string; fpi: string }[] = await db.query(
    `SELECT coalesce(c.relname, b.relfilenode::text) || ' ' || b.resource_manager || '/' || b.record_type AS what,
            count(*)::text AS blocks, sum(b.block_data_length)::text AS data, sum(b.block_fpi_length)::text AS fpi
       FROM pg_get_wal_block_info($1::pg_lsn, pg_current_wal_insert_lsn()) b
       LEFT JOIN pg_class c ON c.relfilenode = b.relfilenode
      GROUP BY 1 ORDER BY sum(b.block_data_length + b.block_fpi_length) DESC LIMIT 25`,
    [from],
  );
  for (const row of rows)
    console.log(
      `    ${row.what.padEnd(60)} ${(Number(row.blocks) / transitions).toFixed(2).padStart(6)} blocks, ${(Number(row.data) / transitions).toFixed(0).padStart(5)} B + ${(Number(row.fpi) / transitions).toFixed(0).padStart(5)} B full pages per transition`,
    );
}

/** Waits until no email is waiting to be sent and no outbox row is due (up to two minutes). */
async function waitForQuiet(db: DataSource): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const [{ busy }]: { busy: number }[] = await db.query(
      `SELECT (SELECT count(*) FROM notification_delivery WHERE state IN ('queued', 'sending', 'failed_transient'))
            + (SELECT count(*) FROM outbox WHERE dispatched_at IS NULL AND available_at <= now()) AS busy`,
    );
    if (Number(busy) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Transitions per second through the API (lock, version check, decide, event, audit, outbox) vs pgbench TPC-B-like on the same PostgreSQL. */
export async function benchTransitions(): Promise<Row[]> {
  const postgres = await startEmbeddedPostgres({
    dataDir: mkdtempSync(join(tmpdir(), 'ouflow-bench-tx-')),
    port: await freePort(),
    database: 'ouflow',
  });
  try {
    await runMigrations(postgres.url);
    pgbenchInit(postgres.url);
    const db = await new DataSource({ type: 'postgres', url: postgres.url, entities: [ENTITIES_GLOB] }).initialize();
    const org = await makeOrganisation(db, { regionCode: 'lucheng' });
    const bureau = await makeUser(db, { role: 'bureau_officer', email: 'bench.bureau@example.cn' });
    const applicant = await makeUser(db, { role: 'applicant', organisationId: org.id });
    const callId = randomUUID();
    await db.query(
      `INSERT INTO call (id, platform_type, level, year, title, opens_at, closes_at, stage_durations, required_documents, eligibility_rules, workflow_id, status, created_by)
       VALUES ($1, 'incubator', 'municipal', 2027, 'bench', now() - interval '1 day', now() + interval '30 days',
               '{"county_review":10,"formal_review":10,"expert_review":15,"site_inspection":15,"decision":20,"public_notice":5,"revision":10}', '[]', '[]', 'incubator.municipal@1', 'open', $2)`,
      [callId, bureau.id],
    );
    const ids = Array.from({ length: DOSSIERS }, () => randomUUID());
    await db.query(
      `INSERT INTO application (id, number, call_id, platform_type, level, year, organisation_id, region_code, name, stage, round, workflow_id, version, created_by, pledge_signed_at, submitted_at)
       SELECT id, 'WZ-INC-2027-' || lpad(n::text, 5, '0'), $2, 'incubator', 'municipal', 2027, $3, 'lucheng', '压测孵化器' || n, 'formal_review', 1, 'incubator.municipal@1', 1, $4, now(), now()
         FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, n)`,
      [ids, callId, org.id, applicant.id],
    );
    // As pgbench -i does for its tables: the rounds should not meet the autovacuum of the load.
    await db.query('VACUUM ANALYZE');
    await db.destroy();

    const catcher = await countingCatcher();
    // Production topology: the API and the worker as separate processes (the worker sends the mails and sets the timers).
    const env = {
      DATABASE_URL: postgres.url,
      SMTP_URL: catcher.url,
      LOG_LEVEL: 'error',
      PORT: String(await freePort()),
      ...(process.env.BENCH_REDIS_URL ? { REDIS_URL: process.env.BENCH_REDIS_URL } : {}),
    };
    const api = process.env.BENCH_BARE_HTTP
      ? startBuilt('test/bench/bare-transitions.js', [], {
          ...env,
          BARE_ACTOR: JSON.stringify({
            userId: bureau.id,
            role: 'bureau_officer',
            organisationId: null,
            regionCode: null,
            sessionId: 'bare',
            ip: null,
          }),
        })
      : startBuilt('apps/api/src/main.js', [], env);
    const worker = process.env.BENCH_NO_WORKER ? undefined : startBuilt('apps/worker/src/main.js', [], env);
    // BENCH_AB_DIST (another build's dist/), BENCH_AB_NODE_ARGS and/or BENCH_AB_NODE (another Node.js binary): a second
    // API to compare with, on the same database.
    const otherPort = String(await freePort());
    const other =
      process.env.BENCH_AB_DIST || process.env.BENCH_AB_NODE_ARGS || process.env.BENCH_AB_NODE
        ? {
            baseUrl: `http://127.0.0.1:${otherPort}`,
            process: startBuilt(
              'apps/api/src/main.js',
              [],
              { ...env, PORT: otherPort },
              { nodeArgs: process.env.BENCH_AB_NODE_ARGS ?? '', dist: process.env.BENCH_AB_DIST, node: process.env.BENCH_AB_NODE },
            ),
          }
        : undefined;
    const app = {
      baseUrl: `http://127.0.0.1:${env.PORT}`,
      stop: async () => {
        await other?.process.stop();
        await api.stop();
        await worker?.stop();
      },
    };
    await waitForHttp(`${app.baseUrl}/health/ready`);
    if (other) await waitForHttp(`${other.baseUrl}/health/ready`);
    try {
      const login = await fetch(`${app.baseUrl}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: bureau.email, password: bureau.password }),
      });
      const { accessToken } = (await login.json()) as { accessToken: string };
      const headers = { authorization: `Bearer ${accessToken}` };
      const http = jsonClient(app.baseUrl, CLIENTS);
      // The API's memory once it has started and served a login, before any load.
      const idleRss = rssMegabytes(api.child.pid);
      let next = 0;
      let done = 0;
      let failures = 0;
      let firstFailure: string | undefined;
      const run = async (seconds: number, via = http): Promise<number> => {
        const deadline = Date.now() + seconds * 1000;
        const before = done;
        const client = async (): Promise<void> => {
          while (Date.now() < deadline && next < ids.length) {
            const id = ids[next++];
            let version = 1;
            for (const step of PATH) {
              if (Date.now() >= deadline) return;
              const response = await via.post(`/applications/${id}/actions`, headers, {
                action: step.action,
                expectedVersion: version,
                ...step.input,
              });
              const body = response.body as { version: number };
              if (response.status !== 200) {
                failures += 1;
                firstFailure ??= `${response.status} ${JSON.stringify(response.body)}`;
                break;
              }
              version = body.version;
              done += 1;
            }
          }
        };
        const started = performance.now();
        await Promise.all(Array.from({ length: CLIENTS }, client));
        return (done - before) / ((performance.now() - started) / 1000);
      };
      await run(WARM_UP_SECONDS);
      // The tables the transitions fill were empty when the bench's VACUUM ANALYZE ran, and plans made on
      // "empty" statistics scan them sequentially until the statistics change (which autovacuum would
      // do on a server that has been up a while): ANALYZE them now that they hold rows, then warm up again.
      const analyze = await new DataSource({ type: 'postgres', url: postgres.url }).initialize();
      await analyze.query('ANALYZE');
      await analyze.destroy();
      await run(2);
      if (other) {
        // A/B: the same load alternates between this build and another one every 2 s (ABBA order), so both see the same machine.
        const httpB = jsonClient(other.baseUrl, CLIENTS);
        await run(WARM_UP_SECONDS, httpB);
        const pairs: number[] = [];
        let sumA = 0;
        let sumB = 0;
        for (let pair = 0; pair < AB_PAIRS; pair++) {
          const first = pair % 2 === 0;
          const a1 = first ? await run(2) : 0;
          const b = await run(2, httpB);
          const a2 = first ? 0 : await run(2);
          const a = a1 + a2;
          sumA += a;
          sumB += b;
          pairs.push(b / a);
        }
        httpB.close();
        http.close();
        if (failures > 0) throw new Error(`${failures} transitions failed, the first with ${firstFailure}`);
        const sorted = [...pairs].sort((x, y) => x - y);
        const quantile = (q: number): string => sorted[Math.floor(q * (sorted.length - 1))].toFixed(2);
        console.log(`  B/A per pair: ${pairs.map((r) => r.toFixed(2)).join(' ')}`);
        return [
          {
            benchmark: `transitions on API B vs API A, ${AB_PAIRS} pairs of 2 s (pairs: median ${quantile(0.5)}, quartiles ${quantile(0.25)}-${quantile(0.75)})`,
            measured: `${perSecond(sumB / AB_PAIRS)} B`,
            baseline: `${perSecond(sumA / AB_PAIRS)} A`,
            ratio: sumB / sumA,
          },
        ];
      }
      // Where the CPU goes: the machine's two cores are shared by the API, the worker, PostgreSQL and this load generator.
      const groups = {
        API: (pid: number) => pid === api.child.pid,
        worker: (pid: number) => pid === worker?.child.pid,
        PostgreSQL: (_pid: number, command: string) => /(^|\/)postgres[: ]/.test(command),
        'load generator': (pid: number) => pid === process.pid,
      };
      const monitor = await new DataSource({ type: 'postgres', url: postgres.url }).initialize();
      const rounds: { measured: number; baseline: number }[] = [];
      // Sampled from the first round to the last: the API under load, including its idle time during pgbench.
      const rss = watchRss(api.child.pid);
      let peakRss = Number.NaN;
      try {
        for (let round = 0; round < ROUNDS; round++) {
          // pgbench runs on a quiet machine: the worker has sent the previous round's mails.
          if (worker) await waitForQuiet(monitor);
          const walBeforeBaseline = await walPosition(monitor);
          const baseline = pgbench(postgres.url);
          const walBefore = await walPosition(monitor);
          const baselineWal = walBefore.bytes - walBeforeBaseline.bytes;
          const cpuBefore = cpuSeconds(groups);
          const doneBefore = done;
          const wallStarted = performance.now();
          const measured = await run(SECONDS);
          const cpuAfter = cpuSeconds(groups);
          const wallSeconds = (performance.now() - wallStarted) / 1000;
          const transitions = done - doneBefore;
          const wal = (await walPosition(monitor)).bytes - walBefore.bytes;
          if (process.env.BENCH_WAL_STATS) await printWalStats(monitor, walBefore.lsn, transitions);
          rounds.push({ measured, baseline });
          const used = (name: string, part: 'user' | 'kernel'): number => cpuAfter[name][part] - cpuBefore[name][part];
          const perTransition = (seconds: number): string => ((seconds * 1000) / transitions).toFixed(2);
          const parts = Object.keys(cpuAfter).map(
            (name) =>
              `${name} ${perTransition(used(name, 'user') + used(name, 'kernel'))} ms (${perTransition(used(name, 'kernel'))} in the kernel)`,
          );
          const busy = Object.keys(cpuAfter).reduce((sum, name) => sum + used(name, 'user') + used(name, 'kernel'), 0) / wallSeconds;
          console.log(
            `  round ${round + 1}: ${perSecond(measured)} vs pgbench ${perSecond(baseline)} (${(measured / baseline).toFixed(2)}); CPU per transition: ${parts.join(', ')}; ${busy.toFixed(2)} cores busy; WAL per transition ${(wal / transitions / 1024).toFixed(1)} kB vs ${(baselineWal / (baseline * SECONDS) / 1024).toFixed(1)} kB per pgbench transaction`,
          );
        }
      } finally {
        peakRss = rss.stop();
        await monitor.destroy();
      }
      http.close();
      if (failures > 0) throw new Error(`${failures} transitions failed, the first with ${firstFailure}`);
      const middle = [...rounds].sort((x, y) => x.measured / x.baseline - y.measured / y.baseline)[Math.floor(ROUNDS / 2)];
      return [
        {
          benchmark: `transitions, POST /applications/:id/actions (${CLIENTS} clients, median of ${ROUNDS} rounds)`,
          measured: perSecond(middle.measured),
          baseline: `${perSecond(middle.baseline)} pgbench tpcb-like -c ${CLIENTS}`,
          ratio: middle.measured / middle.baseline,
          goal: '>= 0.5',
        },
        {
          benchmark: `API memory (RSS), peak over the ${ROUNDS} rounds of transitions`,
          measured: `${peakRss.toFixed(0)} MB`,
          baseline: `${idleRss.toFixed(0)} MB idle after start`,
          ratio: peakRss / idleRss,
        },
      ];
    } finally {
      await app.stop();
      await catcher.stop();
    }
  } finally {
    await postgres.stop();
  }
}
