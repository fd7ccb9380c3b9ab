import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions, runMigrations, startEmbeddedPostgres } from '@app/database';
import { rebuildRegistryTally } from '@app/registry';
import { type Row, freePort, startStandalone } from './support';

const ADMIN = { email: 'bench.targets@ouflow.cn', password: 'Bench-Targets-Pass-2027' };
const SAMPLES = 60;

/**
 * Adds platforms numbered from..to by SQL: four types, three levels, twelve counties and a zone,
 * recognised 2015-2026, one in twenty revoked, annual reports for incubators and maker spaces.
 */
async function generatePlatforms(client: Client, from: number, to: number): Promise<void> {
  for (let start = from; start <= to; start += 200_000) {
    const end = Math.min(start + 199_999, to);
    await client.query(
      `WITH added AS (
         INSERT INTO platform (id, type, level, name, organisation_name, region_code, county_code, industries, recognised_on, document_number,
                               status, revoked_on, revocation_reason, lineage_id, professional_operator, source)
         SELECT id, type, level, 'BENCH平台' || n, 'BENCH单位' || (n % 5000), region, CASE region WHEN 'wenzhou_bay' THEN 'longwan' ELSE region END,
                ARRAY[(ARRAY['trad.electrical','trad.footwear','trad.apparel','trad.auto_parts','trad.pump_valve','emerg.digital',
                             'emerg.intelligent_equipment','emerg.life_health','emerg.new_energy','emerg.new_materials'])[1 + n % 10]],
                recognised, 'BENCH〔' || n || '〕', CASE WHEN n % 20 = 0 THEN 'revoked' ELSE 'active' END,
                CASE WHEN n % 20 = 0 THEN recognised + 400 END, CASE WHEN n % 20 = 0 THEN 'ceased' END, id, n % 7 = 0, 'import'
           FROM (SELECT gen_random_uuid() AS id, n,
                        (ARRAY['new_rd_institution','incubator','maker_space','key_lab'])[1 + n % 4] AS type,
                        CASE WHEN n % 4 = 0 THEN (ARRAY['municipal','provincial'])[1 + (n / 4) % 2]
                             ELSE (ARRAY['municipal','provincial','national'])[1 + (n / 4) % 3] END AS level,
                        (ARRAY['lucheng','longwan','ouhai','dongtou','ruian','yueqing','longgang','yongjia','pingyang','cangnan','wencheng','taishun','wenzhou_bay'])[1 + n % 13] AS region,
                        date '2015-01-01' + ((n::bigint * 7919) % 4320)::int AS recognised
                   FROM generate_series($1::int, $2::int) AS n) s
         RETURNING id, type, recognised_on)
       INSERT INTO annual_report (id, platform_id, year, filed_on, incubated_enterprises, area_m2)
       SELECT gen_random_uuid(), id, extract(year FROM recognised_on)::int, make_date(extract(year FROM recognised_on)::int + 1, 3, 1),
              20 + (abs(hashtext(id::text)) % 60), 5000
         FROM added WHERE type IN ('incubator', 'maker_space') AND recognised_on < date '2025-06-01'`,
      [start, end],
    );
  }
  await client.query('VACUUM ANALYZE platform');
  await client.query('VACUUM ANALYZE annual_report');
}

async function rebuild(url: string): Promise<number> {
  const dataSource = new DataSource({ ...dataSourceOptions(url, 2), entities: [] });
  await dataSource.initialize();
  try {
    const began = performance.now();
    await rebuildRegistryTally(dataSource);
    await dataSource.query('VACUUM ANALYZE registry_tally');
    return performance.now() - began;
  } finally {
    await dataSource.destroy();
  }
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Median latency of sequential requests, after a warm-up. */
async function progressLatency(url: string, token: string): Promise<number> {
  const get = async (): Promise<void> => {
    const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
    await response.arrayBuffer();
  };
  for (let i = 0; i < 10; i++) await get();
  const times: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const began = performance.now();
    await get();
    times.push(performance.now() - began);
  }
  return median(times);
}

/** The database's own answer to one target: an index-only count over IDX_platform_counting. */
async function rawCountLatency(client: Client, asOf: string): Promise<{ ms: number; count: number }> {
  const sql = `SELECT count(DISTINCT lineage_id)::int AS n FROM platform
                WHERE type = 'key_lab' AND level IN ('municipal', 'provincial', 'national')
                  AND recognised_on <= $1 AND (revoked_on IS NULL OR revoked_on > $1)`;
  let count = 0;
  for (let i = 0; i < 3; i++) count = (await client.query(sql, [asOf])).rows[0].n;
  const times: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const began = performance.now();
    await client.query(sql, [asOf]);
    times.push(performance.now() - began);
  }
  return { ms: median(times), count };
}

const ms = (value: number): string => `${value.toFixed(1)} ms`;

/**
 * GET /targets/progress (all nine targets, series, coverage, county breakdown) with 10,000 and with
 * 1,000,000 platforms, against the raw indexed count of one target in the same database.
 */
export async function benchTargets(): Promise<Row[]> {
  const postgres = await startEmbeddedPostgres({
    dataDir: mkdtempSync(join(tmpdir(), 'ouflow-bench-targets-')),
    port: await freePort(),
    database: 'ouflow',
  });
  const client = new Client({ connectionString: postgres.url });
  try {
    await runMigrations(postgres.url);
    const app = await startStandalone({ DATABASE_URL: postgres.url, ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password });
    await client.connect();
    try {
      const login = await fetch(`${app.baseUrl}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(ADMIN),
      });
      if (!login.ok) throw new Error(`login failed: ${login.status} ${await login.text()}`);
      const { accessToken } = (await login.json()) as { accessToken: string };
      const asOf = '2026-06-15';
      const url = `${app.baseUrl}/targets/progress?asOf=${asOf}&by=county`;
      const check = async (expected: number): Promise<void> => {
        const response = await fetch(url, { headers: { authorization: `Bearer ${accessToken}` } });
        const body = (await response.json()) as { targets: { code: string; value: number }[] };
        const value = body.targets.find((t) => t.code === 'key_lab.municipal_plus')?.value;
        if (value !== expected) throw new Error(`progress says ${value} key labs, the raw count ${expected}`);
      };

      await generatePlatforms(client, 1, 10_000);
      const rebuildSmall = await rebuild(postgres.url);
      const rawSmall = await rawCountLatency(client, asOf);
      await check(rawSmall.count);
      const small = await progressLatency(url, accessToken);

      await generatePlatforms(client, 10_001, 1_000_000);
      const rebuildLarge = await rebuild(postgres.url);
      const rawLarge = await rawCountLatency(client, asOf);
      await check(rawLarge.count);
      const large = await progressLatency(url, accessToken);
      const tallyRows = (await client.query('SELECT count(*)::int AS n FROM registry_tally')).rows[0].n as number;
      process.stderr.write(
        `targets bench: tally rebuilt in ${ms(rebuildSmall)} (10k) and ${ms(rebuildLarge)} (1M), ${tallyRows} tally rows\n`,
      );

      return [
        {
          benchmark: 'GET /targets/progress, 10k platforms (median)',
          measured: ms(small),
          baseline: `${ms(rawSmall.ms)} raw indexed count (1 target)`,
          ratio: small / rawSmall.ms,
        },
        {
          benchmark: 'GET /targets/progress, 1M vs 10k platforms',
          measured: ms(large),
          baseline: `${ms(small)} with 10k`,
          ratio: large / small,
          goal: '<= 2.00',
        },
        {
          benchmark: 'GET /targets/progress, 1M platforms vs raw count',
          measured: ms(large),
          baseline: `${ms(rawLarge.ms)} raw indexed count (1 target)`,
          ratio: large / rawLarge.ms,
          goal: '<= 3.00',
        },
      ];
    } finally {
      await client.end().catch(() => undefined);
      await app.stop();
    }
  } finally {
    await postgres.stop();
  }
}
