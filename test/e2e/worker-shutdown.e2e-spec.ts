import { type Server, type Socket, createServer } from 'node:net';
import { type TestApp, startTestApp, testConfigEnv } from '../support/app';
import { commitMails, deliveryStates, testMail } from '../support/notifications';
import { type RunningProcess, runBuilt } from '../support/processes';
import { SmtpCatcher } from '../support/smtp-catcher';
import { waitFor } from '../support/wait';

/** An SMTP server that accepts connections and never says a word: a send on it hangs until nodemailer's greeting timeout. */
async function silentSmtp(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `smtp://127.0.0.1:${port}`,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('worker shutdown', () => {
  let test: TestApp;
  let smtp: Awaited<ReturnType<typeof silentSmtp>>;
  let worker: RunningProcess | undefined;
  let catcher: SmtpCatcher | undefined;

  beforeAll(async () => {
    smtp = await silentSmtp();
    test = await startTestApp({ backend: 'postgres', smtpUrl: smtp.url });
  });

  afterAll(async () => {
    await worker?.stop('SIGKILL');
    await test?.close();
    await smtp?.close();
    await catcher?.stop();
  });

  it('exits with code 1 after SHUTDOWN_TIMEOUT_MS when a job hangs on the SMTP server, says so, and a later worker sends the mail', async () => {
    const env = testConfigEnv(test.database, 'postgres', test.config.queuePrefix, { SMTP_URL: smtp.url, SHUTDOWN_TIMEOUT_MS: '1500' });
    worker = runBuilt('apps/worker/src/main.js', env);
    await commitMails(test.app, [testMail('stuck@example.cn')]);
    // The worker has the job and waits for the server's greeting (10 s before nodemailer gives up).
    await waitFor(async () => (await deliveryStates(test.app)).sending === 1, { timeoutMs: 30_000, what: 'the delivery to be sending' });
    const signalled = Date.now();
    const code = await worker.stop('SIGTERM');
    const took = Date.now() - signalled;
    expect(code).toBe(1);
    expect(took).toBeGreaterThanOrEqual(1_400);
    expect(took).toBeLessThan(8_000);
    expect(worker.output()).toContain('Shutdown did not finish within 1500 ms of SIGTERM');
    // Nothing is lost: the delivery is neither sent nor dead, and a worker started later sends it once
    // the job's lock and the delivery's lease (20 s each) have run out.
    expect(await deliveryStates(test.app)).toEqual({ sending: 1 });
    catcher = await new SmtpCatcher().start();
    worker = runBuilt('apps/worker/src/main.js', { ...env, SMTP_URL: catcher.url });
    await waitFor(async () => (await deliveryStates(test.app)).sent === 1, { timeoutMs: 90_000, what: 'the delivery to be sent' });
    expect(catcher.messages.map((message) => message.to)).toEqual([['stuck@example.cn']]);
  }, 150_000);
});
