import { type Row, freePort, perSecond, requestsPerSecond, startBuilt, startStandalone, waitForHttp } from './support';

/**
 * Authenticated GET /me (JWT verification, session lookup, role check) vs a bare Fastify route,
 * same machine, same run. Goal: at least 0.4 of bare Fastify.
 */
export async function benchMe(): Promise<Row[]> {
  if (process.env.BENCH_AB_DIST) return benchMeAB(process.env.BENCH_AB_DIST);
  const barePort = await freePort();
  const bare = startBuilt('test/bench/bare-fastify.js', [String(barePort)], {});
  const app = await startStandalone({ ADMIN_EMAIL: 'bench.admin@ouflow.cn', ADMIN_PASSWORD: 'Bench-Admin-Pass-2027' });
  try {
    await waitForHttp(`http://127.0.0.1:${barePort}/health`);
    const accessToken = await signInAdmin(app.baseUrl);
    const baseline = await requestsPerSecond(`http://127.0.0.1:${barePort}/health`);
    const health = await requestsPerSecond(`${app.baseUrl}/health`);
    const me = await requestsPerSecond(`${app.baseUrl}/me`, { headers: { authorization: `Bearer ${accessToken}` } });
    return [
      {
        benchmark: 'GET /health, public (autocannon -c 50)',
        measured: perSecond(health),
        baseline: `${perSecond(baseline)} bare Fastify`,
        ratio: health / baseline,
      },
      {
        benchmark: 'GET /me, authenticated (autocannon -c 50)',
        measured: perSecond(me),
        baseline: `${perSecond(baseline)} bare Fastify`,
        ratio: me / baseline,
        goal: '>= 0.40',
      },
    ];
  } finally {
    await app.stop();
    await bare.stop();
  }
}

const ADMIN = { ADMIN_EMAIL: 'bench.admin@ouflow.cn', ADMIN_PASSWORD: 'Bench-Admin-Pass-2027' };

async function signInAdmin(baseUrl: string): Promise<string> {
  const login = await fetch(`${baseUrl}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: ADMIN.ADMIN_EMAIL, password: ADMIN.ADMIN_PASSWORD }),
  });
  if (!login.ok) throw new Error(`login failed: ${login.status} ${await login.text()}`);
  return ((await login.json()) as { accessToken: string }).accessToken;
}

/**
 * A/B (BENCH_AB_DIST=<another build's dist/>): this build (A) and the other (B), each a standalone app,
 * measured in turns of 3 s (ABBA, BENCH_AB_PAIRS pairs, default 10) on GET /me and GET /health, so that
 * whatever else loads the machine loads both alike. Prints B/A per pair; the rows give the medians.
 */
async function benchMeAB(otherDist: string): Promise<Row[]> {
  const pairs = Number(process.env.BENCH_AB_PAIRS ?? 10);
  const a = await startStandalone(ADMIN);
  const b = await startStandalone(ADMIN, { dist: otherDist });
  try {
    const tokens = { a: await signInAdmin(a.baseUrl), b: await signInAdmin(b.baseUrl) };
    const rows: Row[] = [];
    for (const path of ['/me', '/health']) {
      const measure = async (which: 'a' | 'b'): Promise<number> =>
        requestsPerSecond(`${(which === 'a' ? a : b).baseUrl}${path}`, {
          seconds: 3,
          headers: path === '/me' ? { authorization: `Bearer ${tokens[which]}` } : {},
        });
      const ratios: number[] = [];
      let sumA = 0;
      let sumB = 0;
      for (let pair = 0; pair < pairs; pair += 1) {
        const order: ('a' | 'b')[] = pair % 2 === 0 ? ['a', 'b'] : ['b', 'a'];
        const result = { a: 0, b: 0 };
        for (const which of order) result[which] = await measure(which);
        ratios.push(result.b / result.a);
        sumA += result.a;
        sumB += result.b;
        console.log(
          `    ${path} pair ${pair + 1}: A ${perSecond(result.a)}, B ${perSecond(result.b)}, B/A ${(result.b / result.a).toFixed(2)}`,
        );
      }
      ratios.sort((x, y) => x - y);
      const quartile = (q: number): number => ratios[Math.min(ratios.length - 1, Math.floor(q * ratios.length))]!;
      rows.push({
        benchmark: `GET ${path}, B (${otherDist}) against A (this build), ${pairs} ABBA pairs of 3 s`,
        measured: `B ${perSecond(sumB / pairs)} mean`,
        baseline: `A ${perSecond(sumA / pairs)} mean; B/A quartiles ${quartile(0.25).toFixed(2)}-${quartile(0.75).toFixed(2)}`,
        ratio: quartile(0.5),
      });
    }
    return rows;
  } finally {
    await b.stop();
    await a.stop();
  }
}
