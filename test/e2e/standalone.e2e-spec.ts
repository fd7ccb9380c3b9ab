import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { freePort } from '../support/ports';
import { type RunningProcess, runBuilt } from '../support/processes';
import { waitFor } from '../support/wait';

const STANDALONE = 'apps/standalone/src/main.js';

async function embeddedEnv(dataDir: string): Promise<Record<string, string>> {
  return {
    DATA_DIR: dataDir,
    PORT: String(await freePort()),
    EMBEDDED_PG_PORT: String(await freePort()),
    MAIL_CATCHER_SMTP_PORT: String(await freePort()),
    MAIL_CATCHER_WEB_PORT: String(await freePort()),
    LOG_LEVEL: 'warn',
  };
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

describe('npm start (standalone, embedded defaults)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ouflow-standalone-'));
  let running: RunningProcess | undefined;

  afterEach(async () => {
    await running?.stop('SIGINT');
    running = undefined;
  });

  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('starts PostgreSQL, the mail catcher, the API and the worker, becomes ready within 60 s, stops cleanly, and reuses its data', async () => {
    const env = await embeddedEnv(dataDir);
    const base = `http://127.0.0.1:${env.PORT}`;
    const started = Date.now();
    running = runBuilt(STANDALONE, env);
    await waitFor(async () => (await request(base).get('/health/ready')).status === 200, {
      timeoutMs: 60_000,
      intervalMs: 200,
      what: () => `/health/ready = 200 (output: ${running?.output()})`,
    });
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(running.output()).toContain(`API docs:   http://localhost:${env.PORT}/docs`);
    expect(running.output()).toContain(`Mail inbox: http://localhost:${env.MAIL_CATCHER_WEB_PORT}`);
    expect(running.output()).toContain('Applied');
    const regions = await request(base).get('/regions').expect(200);
    expect(regions.body).toHaveLength(14);
    // The demo dossiers stand one at each stage the bureau sees; the one at decision is signed off and awaits the next release.
    const signedIn = await request(base)
      .post('/auth/login')
      .send({ email: 'bureau@demo.ouflow.cn', password: 'Ouflow-Demo-2027!' })
      .expect(200);
    const dossiers = await request(base).get('/applications?pageSize=100').auth(signedIn.body.accessToken, { type: 'bearer' }).expect(200);
    expect(dossiers.body.items.map((d: { stage: string }) => d.stage).sort()).toEqual(
      [
        'county_review',
        'decision',
        'expert_review',
        'formal_review',
        'public_notice',
        'rejected',
        'revision',
        'site_inspection',
        'withdrawn',
      ].sort(),
    );
    const inbox = await request(`http://127.0.0.1:${env.MAIL_CATCHER_WEB_PORT}`).get('/api/email').expect(200);
    expect(Array.isArray(inbox.body)).toBe(true);

    expect(await running.stop('SIGINT')).toBe(0);
    // No orphaned postgres: its port is free again.
    await waitFor(() => portIsFree(Number(env.EMBEDDED_PG_PORT)), {
      timeoutMs: 10_000,
      what: 'the embedded PostgreSQL port to be released',
    });

    running = runBuilt(STANDALONE, env);
    await waitFor(async () => (await request(base).get('/health/ready')).status === 200, {
      timeoutMs: 60_000,
      intervalMs: 200,
      what: () => `second start ready (output: ${running?.output()})`,
    });
    expect(running.output()).not.toContain('Applied');
    await request(base).get('/regions').expect(200);
  }, 180_000);

  it('says clearly that the port is in use, without a stack trace', async () => {
    const env = await embeddedEnv(dataDir);
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(Number(env.PORT), '0.0.0.0', () => resolve()));
    try {
      running = runBuilt(STANDALONE, env);
      expect(await running.exited).toBe(1);
      expect(running.output().trim()).toBe(
        `Port ${env.PORT} for the API is already in use. Stop whatever uses it, or set PORT to a free port.`,
      );
    } finally {
      blocker.close();
    }
  });

  it.each([
    [{ PORT: 'abc' }, 'Invalid configuration: PORT: must be a whole number, got "abc"'],
    [{ DATABASE_URL: 'nonsense' }, 'Invalid configuration: DATABASE_URL: must be a URL starting with postgres:// or postgresql://'],
  ])('exits non-zero with one line for bad configuration %j', async (bad, line) => {
    for (const entry of [STANDALONE, 'apps/api/src/main.js', 'apps/worker/src/main.js']) {
      running = runBuilt(entry, { ...(await embeddedEnv(dataDir)), ...bad });
      expect(await running.exited).toBe(78);
      expect(running.output().trim()).toBe(line);
    }
  });
});
