import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AttachmentErrors } from './attachments.errors';

export interface StoredFile {
  sizeBytes: number;
  sha256: string;
}

/**
 * Streams `source` into a new file at `path` (never overwriting one), hashing as it goes, and
 * fails with 413 as soon as more than `maxBytes` arrive: memory use stays one chunk whatever
 * the client sends. The caller deletes the partial file on failure.
 */
export async function writeWithLimit(source: Readable, path: string, maxBytes: number): Promise<StoredFile> {
  const hash = createHash('sha256');
  let sizeBytes = 0;
  const limiter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      sizeBytes += chunk.length;
      if (sizeBytes > maxBytes) {
        callback(AttachmentErrors.tooLarge(maxBytes));
        return;
      }
      hash.update(chunk);
      callback(null, chunk);
    },
  });
  // The source is piped by hand rather than through pipeline(), which would destroy it on
  // failure: the caller drains it instead, so the HTTP connection stays usable.
  const forwardError = (error: Error): void => {
    limiter.destroy(error);
  };
  source.on('error', forwardError);
  source.pipe(limiter);
  try {
    await pipeline(limiter, createWriteStream(path, { flags: 'wx', mode: 0o640 }));
  } finally {
    source.unpipe(limiter);
    source.off('error', forwardError);
  }
  return { sizeBytes, sha256: hash.digest('hex') };
}

/** Reads and drops whatever is left of a refused upload so the request can finish normally. */
export function discardRest(source: Readable): void {
  if (source.destroyed || source.readableEnded) return;
  source.on('error', () => undefined);
  source.resume();
}
