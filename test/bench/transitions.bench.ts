import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { runMigrations, startEmbeddedPostgres } from '@app/database';
import { makeOrganisation, makeUser } from '../../libs/identity/src/testing/identity-fixtures';
import { ENTITIES_GLOB } from '@app/database';
import { countingCatcher } from './mail.bench';
import {
  type Row,
  cpuSeconds,
  freePort,
  jsonClient,
  parentPid,
  perSecond,
  quantile,
  rssMegabytes,
  sleep,
  startBuilt,
  waitForHttp,
  waitForQuiet,
  wallClockMs,
  watchRss,
} from './support';

/** Enough for every phase at default settings on a fast machine (each dossier takes three transitions). */
const DOSSIERS = Number(process.env.BENCH_DOSSIERS ?? 80_000);
/** Rounds of pgbench then transitions, alternating; the medians are reported (single runs vary by half here). */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CLIENTS = 4; // two per core on this 2-core machine
/** Seconds of each measured run (and of pgbench); BENCH_SECONDS shortens a smoke run. */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
/** Unmeasured load first, so the JIT has compiled the hot paths (as on a server that has been up a while). */
const WARM_UP_SECONDS = 5;
/** A/B mode (BENCH_AB_DIST, BENCH_AB_NODE_ARGS, BENCH_AB_NODE): pairs of 2 s runs, one on each API. */
const AB_PAIRS = Number(process.env.BENCH_AB_PAIRS ?? 20);

/** The bureau's forward path after formal review; each step is one transition through POST /applications/:id/actions. */
const PATH: { action: string; input: Record<string, unknown> }[] = [
  { action: 'pass_formal_review', input: {} },
  // Reads the dossier's closed panel, inserted with the dossiers (the draw and the scoring are not what this measures).
  { action: 'record_expert_result', input: {} },
  // Reads the dossier's signed inspection, inserted with the dossiers too.
  { action: 'record_inspection', input: {} },
  // The decision is no single transition any more (recorded, signed off by a leader, released per call), so the path ends at decision.
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

/** pgbench's rate and how many transactions it ran. */
function pgbench(url: string): { tps: number; transactions: number } {
  const { env, args } = pgbenchArgs(url);
  const out = execFileSync('pgbench', ['-b', 'tpcb-like', '-c', String(CLIENTS), '-j', '2', '-T', String(SECONDS), ...args], {
    env,
  }).toString();
  const tps = /tps = ([\d.]+)/.exec(out);
  const transactions = /number of transactions actually processed: (\d+)/.exec(out);
  if (!tps || !transactions) throw new Error(`unexpected pgbench output: ${out}`);
  return { tps: Number(tps[1]), transactions: Number(transactions[1]) };
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

async function resetStatements(db: DataSource): Promise<void> {
  await db.query(`CREATE EXTENSION IF NOT EXISTS pg_stat_statements`);
  await db.query(`SELECT pg_stat_statements_reset()`);
}

/** The statements of a round by their share of PostgreSQL's time, per transition (BENCH_PG_STATEMENTS=1). */
async function printStatements(db: DataSource, transitions: number): Promise<void> {
  const rows: { query: string; calls: string; total: number; plan: number; hit: string; read: string; rows: string }[] = await db.query(
    `SELECT regexp_replace(query, '\\s+', ' ', 'g') AS query, calls::text, total_exec_time + total_plan_time AS total, total_plan_time AS plan,
            shared_blks_hit::text AS hit, shared_blks_read::text AS read, rows::text
       FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
      ORDER BY total_exec_time + total_plan_time DESC LIMIT 20`,
  );
  const all: { exec: number; plan: number }[] = await db.query(
    `SELECT sum(total_exec_time) AS exec, sum(total_plan_time) AS plan FROM pg_stat_statements`,
  );
  console.log(
    `    PostgreSQL time per transition: executing ${(all[0]!.exec / transitions).toFixed(3)} ms, planning ${(all[0]!.plan / transitions).toFixed(3)} ms; the top statements:`,
  );
  for (const row of rows) {
    const per = (value: string | number): string => (Number(value) / transitions).toFixed(2);
    console.log(
      `    ${per(row.total).padStart(6)} ms (plan ${per(row.plan)}) ${per(row.calls).padStart(5)} calls ${per(row.hit).padStart(7)} blocks hit ${per(row.rows).padStart(6)} rows  ${row.query.slice(0, 160)}`,
    );
  }
}

/** One setting of the bench: the API alone, or the API and the worker with the queues on PostgreSQL or on Redis. */
interface Phase {
  name: string;
  worker: boolean;
  env: Record<string, string>;
  /** The goal of issue 13 for this phase's headline ratio. */
  goal: string;
}

/** Latencies from commit to SMTP accept, one per transition that sent mail, and how many finished within the load. */
interface Completions {
  latenciesMs: number[];
  completedByEnd: number;
  /** Accepted mails whose delivery row was not found (should be 0). */
  unmatched: number;
}

/**
 * Which transitions a round's accepted mails complete, and when. A transition's deliveries are
 * written in its transaction, so they share its subject (the dossier) and its now(): that pair
 * names the transition, and its created_at is the commit time (strictly, the start of the short
 * transaction that committed). A transition is complete when its last mail is accepted;
 * one that sends no mail is complete at its commit, which is within the load.
 */
async function completions(db: DataSource, accepted: Map<string, number>, transitions: number, loadEndMs: number): Promise<Completions> {
  const rows: { id: string; subject: string; created_ms: string }[] = await db.query(
    `SELECT id::text, coalesce(subject_id, id::text) AS subject, (extract(epoch FROM created_at) * 1000)::text AS created_ms
       FROM notification_delivery WHERE id = ANY($1::uuid[])`,
    [[...accepted.keys()]],
  );
  const transitionsWithMail = new Map<string, { committedMs: number; lastAcceptMs: number }>();
  for (const row of rows) {
    const key = `${row.subject} ${row.created_ms}`;
    const acceptMs = accepted.get(row.id) ?? Number.NaN;
    const known = transitionsWithMail.get(key);
    if (known) known.lastAcceptMs = Math.max(known.lastAcceptMs, acceptMs);
    else transitionsWithMail.set(key, { committedMs: Number(row.created_ms), lastAcceptMs: acceptMs });
  }
  // More mail-sending transitions than transitions means the deliveries of one transaction did not share its now().
  if (transitionsWithMail.size > transitions) console.log(`  ${transitionsWithMail.size} groups of mails for ${transitions} transitions`);
  const latenciesMs = [...transitionsWithMail.values()].map((t) => t.lastAcceptMs - t.committedMs);
  const withMailByEnd = [...transitionsWithMail.values()].filter((t) => t.lastAcceptMs <= loadEndMs).length;
  return {
    latenciesMs,
    completedByEnd: transitions - transitionsWithMail.size + withMailByEnd,
    unmatched: accepted.size - rows.length,
  };
}

/** The process id of a Redis server on this machine (for its CPU), if the URL points here. */
async function localRedisPid(url: string): Promise<number | undefined> {
  const { hostname } = new URL(url);
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(hostname)) return undefined;
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    const pid = /process_id:(\d+)/.exec(await redis.info('server'));
    // A Redis in a container reports the pid of its own namespace: only a pid that is Redis here counts.
    return pid && readFileSync(`/proc/${pid[1]}/cmdline`, 'utf8').includes('redis') ? Number(pid[1]) : undefined;
  } catch {
    return undefined;
  } finally {
    redis.disconnect();
  }
}

const ms = (value: number): string => `${Math.round(value).toLocaleString('en-US')} ms`;
const median = <T>(items: T[], by: (item: T) => number): T => [...items].sort((x, y) => by(x) - by(y))[Math.floor(items.length / 2)];

/**
 * Transitions through the API (lock, version check, decide, event, audit, outbox) vs pgbench TPC-B-like on the same
 * PostgreSQL: the API alone, then completed (every mail accepted by SMTP) with the worker as its own process, on the
 * PostgreSQL queue and, with BENCH_REDIS_URL or REDIS_URL, on Redis; latency from commit to SMTP accept at full and
 * at half that rate; CPU per completed transition for each process.
 */
export async function benchTransitions(): Promise<Row[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ouflow-bench-tx-'));
  const postgres = await startEmbeddedPostgres({
    dataDir,
    port: await freePort(),
    database: 'ouflow',
    postgresFlags: process.env.BENCH_PG_STATEMENTS
      ? [
          '-c',
          'shared_preload_libraries=pg_stat_statements',
          '-c',
          'pg_stat_statements.track=all',
          '-c',
          'pg_stat_statements.track_planning=on',
        ]
      : [],
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
    // Each dossier's expert review (round 1, the dossiers' round) is done: a closed panel of one expert who scored 80 on the one criterion.
    const expert = await makeUser(db, { role: 'expert', email: 'bench.expert@example.cn' });
    const rubric = {
      criteria: [{ code: 'overall', nameZh: '综合评价', nameEn: 'Overall', weight: 1, min: 0, max: 100 }],
      method: 'mean',
      passMark: 70,
      disagreementThreshold: 30,
      commentBelowPercent: 0,
      members: 1,
      reserves: 0,
      avoidSameCounty: false,
      avoidRecentPanelYears: null,
      quota: null,
      source: 'assumption',
    };
    await db.query(
      `WITH p AS (
         INSERT INTO review_panel (id, application_id, call_id, round, organisation_id, dossier, seed, rubric, status, drawn_at, drawn_by, closed_at, closed_by)
         SELECT gen_random_uuid(), id, $2, 1, $3, '{"number":null,"name":"bench","applicantName":"bench","platformType":"incubator"}', 'bench', $4, 'closed', now(), $5, now(), $5
           FROM unnest($1::uuid[]) AS t(id) RETURNING id),
       a AS (
         INSERT INTO review_assignment (id, panel_id, expert_id, draw_position, reserve_rank, active, declaration, declared_at, scored_at, created_at)
         SELECT gen_random_uuid(), p.id, $6, 0, NULL, true, 'no_conflict', now(), now(), now() FROM p RETURNING id)
       INSERT INTO review_score (id, assignment_id, criterion, value, created_at) SELECT gen_random_uuid(), a.id, 'overall', 80, now() FROM a`,
      [ids, callId, org.id, JSON.stringify(rubric), bureau.id, expert.id],
    );
    // And its site inspection is signed: a team of the bench's bureau officer and expert, the result passed.
    await db.query(
      `INSERT INTO review_inspection (id, application_id, call_id, round, visit_date, team, checklist, result, status, signed_at, created_by, created_at, updated_at)
       SELECT gen_random_uuid(), id, $2, 1, '2027-05-20', $3, '[]', 'passed', 'signed', now(), $4, now(), now() FROM unnest($1::uuid[]) AS t(id)`,
      [
        ids,
        callId,
        JSON.stringify(
          [bureau.id, expert.id].map((userId) => ({
            userId,
            role: 'expert',
            name: 'bench',
            signedAt: new Date().toISOString(),
            waived: [],
            overrideReason: null,
          })),
        ),
        bureau.id,
      ],
    );
    // As pgbench -i does for its tables: the rounds should not meet the autovacuum of the load.
    await db.query('VACUUM ANALYZE');
    await db.destroy();

    const catcher = await countingCatcher();
    const monitor = await new DataSource({ type: 'postgres', url: postgres.url }).initialize();
    // This cluster's processes only (the machine runs other PostgreSQL servers): the postmaster and its children.
    const [{ pid: backendPid }]: { pid: number }[] = await monitor.query('SELECT pg_backend_pid() AS pid');
    const postmaster = parentPid(backendPid);
    const ofThisCluster = (pid: number, _command: string, parent: number): boolean => pid === postmaster || parent === postmaster;
    const quiet = async (): Promise<void> => {
      if (!(await waitForQuiet((sql) => monitor.query(sql)))) throw new Error('the worker did not send the mails within 2 minutes');
    };
    const redisUrl = process.env.BENCH_REDIS_URL || process.env.REDIS_URL;
    const ab = Boolean(process.env.BENCH_AB_DIST || process.env.BENCH_AB_NODE_ARGS || process.env.BENCH_AB_NODE);
    const postgresQueue: Phase = { name: 'PostgreSQL queue', worker: true, env: { REDIS_URL: '' }, goal: '>= 0.20' };
    const redisQueue: Phase | undefined = redisUrl
      ? { name: 'Redis', worker: true, env: { REDIS_URL: redisUrl, QUEUE_PREFIX: `bench-${randomUUID().slice(0, 8)}` }, goal: '>= 0.25' }
      : undefined;
    // The API alone goes last: without a worker its mails stay in the outbox, and no later worker should inherit them.
    const apiAlone: Phase = { name: 'API alone', worker: false, env: { REDIS_URL: '' }, goal: '>= 0.35' };
    const phases: Phase[] = process.env.BENCH_NO_WORKER
      ? [apiAlone]
      : ab
        ? [redisQueue && process.env.BENCH_REDIS_URL ? redisQueue : postgresQueue]
        : [postgresQueue, ...(redisQueue ? [redisQueue] : []), apiAlone];

    // Dossiers are taken in order across the phases; each client walks one forward until the time is up.
    let next = 0;
    const rows: Row[] = [];
    try {
      for (const phase of phases) {
        process.stderr.write(`  transitions: ${phase.name} ...\n`);
        const env = {
          DATABASE_URL: postgres.url,
          SMTP_URL: catcher.url,
          LOG_LEVEL: 'error',
          PORT: String(await freePort()),
          ...phase.env,
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
        const worker = phase.worker ? startBuilt('apps/worker/src/main.js', [], env) : undefined;
        // BENCH_AB_DIST (another build's dist/), BENCH_AB_NODE_ARGS and/or BENCH_AB_NODE (another Node.js binary): a second
        // API to compare with, on the same database.
        const otherPort = String(await freePort());
        const other = ab
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
        const baseUrl = `http://127.0.0.1:${env.PORT}`;
        try {
          await waitForHttp(`${baseUrl}/health/ready`);
          if (other) await waitForHttp(`${other.baseUrl}/health/ready`);
          const login = await fetch(`${baseUrl}/auth/login`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ email: bureau.email, password: bureau.password }),
          });
          const { accessToken } = (await login.json()) as { accessToken: string };
          const headers = { authorization: `Bearer ${accessToken}` };
          const http = jsonClient(baseUrl, CLIENTS);
          // The API's memory once it has started and served a login, before any load.
          const idleRss = rssMegabytes(api.child.pid);
          let done = 0;
          let failures = 0;
          let firstFailure: string | undefined;
          /** Closed-loop load for `seconds` (or paced to `rate` transitions per second); returns the rate reached. */
          const run = async (seconds: number, options: { via?: typeof http; rate?: number } = {}): Promise<number> => {
            const via = options.via ?? http;
            const started = performance.now();
            const deadline = Date.now() + seconds * 1000;
            const before = done;
            let ticket = 0;
            const client = async (): Promise<void> => {
              while (Date.now() < deadline && next < ids.length) {
                const id = ids[next++];
                let version = 1;
                for (const step of PATH) {
                  if (options.rate) {
                    const wait = started + (ticket++ * 1000) / options.rate - performance.now();
                    if (wait > 0) await sleep(wait);
                  }
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
            await Promise.all(Array.from({ length: CLIENTS }, client));
            if (next >= ids.length) throw new Error(`all ${ids.length} dossiers used up: raise BENCH_DOSSIERS`);
            return (done - before) / ((performance.now() - started) / 1000);
          };
          await run(WARM_UP_SECONDS);
          // The tables the transitions fill were empty when the bench's VACUUM ANALYZE ran, and plans made on
          // "empty" statistics scan them sequentially until the statistics change (which autovacuum would
          // do on a server that has been up a while): ANALYZE them now that they hold rows, then warm up again.
          await monitor.query('ANALYZE');
          await run(2);
          if (other) {
            // A/B: the same load alternates between this build and another one every 2 s (ABBA order), so both see the same machine.
            const httpB = jsonClient(other.baseUrl, CLIENTS);
            await run(WARM_UP_SECONDS, { via: httpB });
            const pairs: number[] = [];
            let sumA = 0;
            let sumB = 0;
            for (let pair = 0; pair < AB_PAIRS; pair++) {
              const first = pair % 2 === 0;
              const a1 = first ? await run(2) : 0;
              const b = await run(2, { via: httpB });
              const a2 = first ? 0 : await run(2);
              const a = a1 + a2;
              sumA += a;
              sumB += b;
              pairs.push(b / a);
            }
            httpB.close();
            http.close();
            if (failures > 0) throw new Error(`${failures} transitions failed, the first with ${firstFailure}`);
            console.log(`  B/A per pair: ${pairs.map((r) => r.toFixed(2)).join(' ')}`);
            rows.push({
              benchmark: `transitions on API B vs API A (${phase.name}), ${AB_PAIRS} pairs of 2 s (pairs: median ${quantile(pairs, 0.5).toFixed(2)}, quartiles ${quantile(pairs, 0.25).toFixed(2)}-${quantile(pairs, 0.75).toFixed(2)})`,
              measured: `${perSecond(sumB / AB_PAIRS)} B`,
              baseline: `${perSecond(sumA / AB_PAIRS)} A`,
              ratio: sumB / sumA,
            });
            continue;
          }
          // Where the CPU goes: the machine's two cores are shared by the API, the worker, PostgreSQL and this
          // process (the load generator and the SMTP catcher); Redis too when it runs here (it serves others as well).
          const redisPid = phase.env.REDIS_URL ? await localRedisPid(phase.env.REDIS_URL) : undefined;
          const groups: Record<string, (pid: number, command: string, parent: number) => boolean> = {
            API: (pid) => pid === api.child.pid,
            ...(worker ? { worker: (pid: number) => pid === worker.child.pid } : {}),
            PostgreSQL: ofThisCluster,
            ...(redisPid ? { Redis: (pid: number) => pid === redisPid } : {}),
            'load generator and catcher': (pid) => pid === process.pid,
          };
          const rounds: {
            measured: number;
            completed: number;
            baseline: number;
            cpuMs: Record<string, number>;
            pgbenchCpuMs: Record<string, number>;
            half?: { rate: number; completed: number };
          }[] = [];
          const fullLatencies: number[] = [];
          const halfLatencies: number[] = [];
          // Sampled from the first round to the last: the API under load, including its idle time during pgbench.
          const rss = watchRss(api.child.pid);
          let peakRss = Number.NaN;
          try {
            for (let round = 0; round < ROUNDS; round++) {
              // pgbench runs on a quiet machine: the worker has sent the previous round's emails.
              if (worker) await quiet();
              const walBeforeBaseline = await walPosition(monitor);
              // pgbench is this process's child: its time is counted here once it has ended (this process waits meanwhile).
              const pgbenchGroups = { PostgreSQL: ofThisCluster, pgbench: (pid: number) => pid === process.pid };
              const pgbenchCpuBefore = cpuSeconds(pgbenchGroups);
              const { tps: baseline, transactions: pgbenchTransactions } = pgbench(postgres.url);
              const pgbenchCpuAfter = cpuSeconds(pgbenchGroups);
              const walBefore = await walPosition(monitor);
              const baselineWal = walBefore.bytes - walBeforeBaseline.bytes;
              catcher.takeAccepted();
              const cpuBefore = cpuSeconds(groups);
              const doneBefore = done;
              const wallStarted = performance.now();
              const loadStartMs = wallClockMs();
              if (process.env.BENCH_PG_STATEMENTS) await resetStatements(monitor);
              const measured = await run(SECONDS);
              const loadEndMs = wallClockMs();
              // Completed transitions: their mails are all accepted (the CPU spent on sending them counts too).
              if (worker) await quiet();
              const cpuAfter = cpuSeconds(groups);
              const wallSeconds = (performance.now() - wallStarted) / 1000;
              const transitions = done - doneBefore;
              const wal = (await walPosition(monitor)).bytes - walBefore.bytes;
              if (process.env.BENCH_WAL_STATS) await printWalStats(monitor, walBefore.lsn, transitions);
              if (process.env.BENCH_PG_STATEMENTS) await printStatements(monitor, transitions);
              const used = (name: string, part: 'user' | 'kernel'): number => cpuAfter[name][part] - cpuBefore[name][part];
              const perTransition = (seconds: number): number => (seconds * 1000) / transitions;
              const cpuMs = Object.fromEntries(
                Object.keys(cpuAfter).map((name) => [name, perTransition(used(name, 'user') + used(name, 'kernel'))]),
              );
              const pgbenchCpuMs = Object.fromEntries(
                Object.keys(pgbenchCpuAfter).map((name) => [
                  name,
                  ((pgbenchCpuAfter[name].user +
                    pgbenchCpuAfter[name].kernel -
                    pgbenchCpuBefore[name].user -
                    pgbenchCpuBefore[name].kernel) *
                    1000) /
                    pgbenchTransactions,
                ]),
              );
              const parts = Object.keys(cpuAfter).map(
                (name) => `${name} ${cpuMs[name].toFixed(2)} ms (${perTransition(used(name, 'kernel')).toFixed(2)} in the kernel)`,
              );
              const busy = Object.keys(cpuAfter).reduce((sum, name) => sum + used(name, 'user') + used(name, 'kernel'), 0) / wallSeconds;
              let completed = measured;
              let line = `  ${phase.name}, round ${round + 1}: ${perSecond(measured)} through the API vs pgbench ${perSecond(baseline)} (${(measured / baseline).toFixed(2)})`;
              let half: { rate: number; completed: number } | undefined;
              if (worker) {
                const full = await completions(monitor, catcher.takeAccepted(), transitions, loadEndMs);
                completed = full.completedByEnd / ((loadEndMs - loadStartMs) / 1000);
                fullLatencies.push(...full.latenciesMs);
                // Half the completed rate, paced: the latency a user sees when the system is not saturated.
                const halfRate = completed / 2;
                const halfDoneBefore = done;
                const halfStartMs = wallClockMs();
                await run(SECONDS, { rate: halfRate });
                const halfEndMs = wallClockMs();
                await quiet();
                const paced = await completions(monitor, catcher.takeAccepted(), done - halfDoneBefore, halfEndMs);
                halfLatencies.push(...paced.latenciesMs);
                half = { rate: halfRate, completed: paced.completedByEnd / ((halfEndMs - halfStartMs) / 1000) };
                if (full.unmatched + paced.unmatched > 0)
                  console.log(`  ${full.unmatched + paced.unmatched} accepted mails had no delivery row`);
                line += `; completed ${perSecond(completed)} (${(completed / baseline).toFixed(2)}), commit -> SMTP accept p50 ${ms(quantile(full.latenciesMs, 0.5))}, p99 ${ms(quantile(full.latenciesMs, 0.99))}; paced at ${perSecond(halfRate)}: p50 ${ms(quantile(paced.latenciesMs, 0.5))}, p99 ${ms(quantile(paced.latenciesMs, 0.99))}`;
              }
              rounds.push({ measured, completed, baseline, cpuMs, pgbenchCpuMs, half });
              console.log(
                `${line}; CPU per ${worker ? 'completed ' : ''}transition: ${parts.join(', ')}; ${busy.toFixed(2)} cores busy; WAL per transition ${(wal / transitions / 1024).toFixed(1)} kB vs ${(baselineWal / pgbenchTransactions / 1024).toFixed(1)} kB per pgbench transaction`,
              );
            }
          } finally {
            peakRss = rss.stop();
          }
          http.close();
          if (failures > 0) throw new Error(`${failures} transitions failed, the first with ${firstFailure}`);
          const middle = median(rounds, (r) => r.completed / r.baseline);
          const pgbenchLabel = `${perSecond(middle.baseline)} pgbench tpcb-like -c ${CLIENTS}`;
          const cpu = (figures: Record<string, number>): string =>
            Object.entries(figures)
              .map(([name, value]) => `${name} ${value.toFixed(2)}`)
              .join(', ');
          const total = (figures: Record<string, number>): number => Object.values(figures).reduce((sum, value) => sum + value, 0);
          if (!worker) {
            rows.push({
              benchmark: `transitions, API alone (no worker), POST /applications/:id/actions (${CLIENTS} clients, median of ${ROUNDS} rounds)`,
              measured: perSecond(middle.measured),
              baseline: pgbenchLabel,
              ratio: middle.measured / middle.baseline,
              goal: phase.goal,
            });
          } else {
            rows.push(
              {
                benchmark: `transitions completed (last mail accepted by SMTP), API and worker, ${phase.name} (median of ${ROUNDS} rounds)`,
                measured: perSecond(middle.completed),
                baseline: pgbenchLabel,
                ratio: middle.completed / middle.baseline,
                goal: phase.goal,
              },
              {
                benchmark: `  the same rounds through the API (mails still being sent)`,
                measured: perSecond(middle.measured),
                baseline: pgbenchLabel,
                ratio: middle.measured / middle.baseline,
              },
              {
                benchmark: `  commit -> SMTP accept at full load, ${phase.name} (${fullLatencies.length} transitions, all rounds)`,
                measured: `p50 ${ms(quantile(fullLatencies, 0.5))}, p99 ${ms(quantile(fullLatencies, 0.99))}`,
                baseline: '',
              },
              {
                benchmark: `  commit -> SMTP accept paced at half the completed rate, ${phase.name} (${halfLatencies.length} transitions, all rounds)`,
                measured: `p50 ${ms(quantile(halfLatencies, 0.5))}, p99 ${ms(quantile(halfLatencies, 0.99))}`,
                baseline: `at ${perSecond(middle.half?.rate ?? Number.NaN)} (completed ${perSecond(middle.half?.completed ?? Number.NaN)})`,
                goal: 'p99 < 2,000 ms',
              },
            );
          }
          rows.push(
            {
              benchmark: `  CPU ms per ${worker ? 'completed ' : ''}transition, ${phase.name}: ${cpu(middle.cpuMs)}`,
              measured: `${total(middle.cpuMs).toFixed(2)} ms`,
              baseline: `${total(middle.pgbenchCpuMs).toFixed(2)} ms per pgbench transaction (${cpu(middle.pgbenchCpuMs)})`,
              ratio: total(middle.cpuMs) / total(middle.pgbenchCpuMs),
            },
            {
              benchmark: `  API memory (RSS), peak over the ${ROUNDS} rounds, ${phase.name}`,
              measured: `${peakRss.toFixed(0)} MB`,
              baseline: `${idleRss.toFixed(0)} MB idle after start`,
              ratio: peakRss / idleRss,
            },
          );
        } finally {
          await other?.process.stop();
          await api.stop();
          await worker?.stop();
        }
      }
    } finally {
      await monitor.destroy();
      await catcher.stop();
    }
    return rows;
  } finally {
    await postgres.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
