import Fastify from 'fastify';

/** The baseline: a bare Fastify route on the same Node, answering what GET /health answers. */
const port = Number(process.argv[2] ?? 0);
const app = Fastify({ logger: false });
app.get('/health', async () => ({ status: 'ok' }));
app.listen({ port, host: '127.0.0.1' }).then(
  () => process.stdout.write(`listening ${port}\n`),
  (error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  },
);
