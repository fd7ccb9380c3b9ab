import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { type PingResult, QueueName } from '../../libs/queue/src';
import { QUEUE_BACKENDS, type TestApp, startTestApp, testConfigEnv } from '../support/app';
import { type RunningProcess, runBuilt } from '../support/processes';
import { waitFor } from '../support/wait';

describe.each(QUEUE_BACKENDS)('queue on %s', (backend) => {
  let test: TestApp;
  let worker: RunningProcess | undefined;

  beforeAll(async () => {
    test = await startTestApp({ backend });
  });

  afterAll(async () => {
    await worker?.stop();
    await test?.close();
  });

  it('processes a job added in the API process in the separate worker process', async () => {
    worker = runBuilt('apps/worker/src/main.js', testConfigEnv(test.database, backend, test.config.queuePrefix));
    const queue = test.app.get<Queue>(getQueueToken(QueueName.system));
    const requestedAt = new Date().toISOString();
    const job = await queue.add('system.ping', { requestedAt });

    const result = await waitFor(
      async () => {
        const current = await queue.getJob(job.id!);
        return current?.returnvalue ? (current.returnvalue as PingResult) : undefined;
      },
      { timeoutMs: 30_000, what: `job ${job.id} to be processed by the worker (output: ${worker.output()})` },
    );

    expect(result.requestedAt).toBe(requestedAt);
    expect(result.pid).toBe(worker.child.pid);
    expect(result.pid).not.toBe(process.pid);
  });
});
