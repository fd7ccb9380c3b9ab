import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import multipart from '@fastify/multipart';
import Fastify from 'fastify';

/**
 * The baseline for uploads: a bare Fastify route with @fastify/multipart that streams the file to
 * disk and hashes it (sha256) on the way, as the API's attachment route does, and nothing else.
 * Arguments: the port, the folder to write to.
 */
const port = Number(process.argv[2] ?? 0);
const folder = process.argv[3] ?? '.';
const app = Fastify({ logger: false });
void app.register(multipart);
app.post('/upload', async (request, reply) => {
  const part = await request.file({ limits: { fileSize: 20 * 1_048_576 + 1, files: 1, fields: 10, parts: 11 } });
  if (!part) return reply.code(400).send({ error: 'no file' });
  const hash = createHash('sha256');
  let sizeBytes = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      sizeBytes += chunk.length;
      callback(null, chunk);
    },
  });
  await pipeline(part.file, tap, createWriteStream(join(folder, randomUUID())));
  const field = part.fields.documentCode;
  const documentCode = field && !Array.isArray(field) && field.type === 'field' ? field.value : null;
  return reply.code(201).send({ documentCode, sizeBytes, sha256: hash.digest('hex') });
});
app.get('/health', async () => ({ status: 'ok' }));
app.listen({ port, host: '127.0.0.1' }).then(
  () => process.stdout.write(`listening ${port}\n`),
  (error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  },
);
