import { type Row, freePort, perSecond, requestsPerSecond, startBuilt, startStandalone, waitForHttp } from './support';

/**
 * Authenticated GET /me (JWT verification, session lookup, role check) vs a bare Fastify route,
 * same machine, same run. Goal: at least 0.4 of bare Fastify.
 */
export async function benchMe(): Promise<Row[]> {
  const barePort = await freePort();
  const bare = startBuilt('test/bench/bare-fastify.js', [String(barePort)], {});
  const app = await startStandalone({ ADMIN_EMAIL: 'bench.admin@ouflow.cn', ADMIN_PASSWORD: 'Bench-Admin-Pass-2027' });
  try {
    await waitForHttp(`http://127.0.0.1:${barePort}/health`);
    const login = await fetch(`${app.baseUrl}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'bench.admin@ouflow.cn', password: 'Bench-Admin-Pass-2027' }),
    });
    if (!login.ok) throw new Error(`login failed: ${login.status} ${await login.text()}`);
    const { accessToken } = (await login.json()) as { accessToken: string };
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
