import { type Row, freePort, perSecond, requestsPerSecond, startBuilt, startStandalone, waitForHttp } from './support';

/** GET /health through the whole NestJS stack vs a bare Fastify route, same machine, same run. */
export async function benchHealth(): Promise<Row[]> {
  const barePort = await freePort();
  const bare = startBuilt('test/bench/bare-fastify.js', [String(barePort)], {});
  const app = await startStandalone();
  try {
    await waitForHttp(`http://127.0.0.1:${barePort}/health`);
    const baseline = await requestsPerSecond(`http://127.0.0.1:${barePort}/health`);
    const measured = await requestsPerSecond(`${app.baseUrl}/health`);
    return [
      {
        benchmark: 'GET /health (autocannon -c 50)',
        measured: perSecond(measured),
        baseline: `${perSecond(baseline)} bare Fastify`,
        ratio: measured / baseline,
      },
    ];
  } finally {
    await app.stop();
    await bare.stop();
  }
}
