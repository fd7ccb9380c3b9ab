import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';

export const IDEMPOTENT = 'ouflow:idempotent';

/**
 * Opts a route in to `Idempotency-Key` (IdempotencyInterceptor); elsewhere the header is ignored.
 * Only for routes that need a signed-in caller, whose answer holds no token or secret (the answer is
 * stored and replayed), and whose writes all go through `inTransaction` (they commit with the key).
 * Multipart routes must also call `fingerprintUpload` before their first `inTransaction`.
 */
export function Idempotent(): MethodDecorator {
  return applyDecorators(
    SetMetadata(IDEMPOTENT, true),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        '8-200 of A-Z a-z 0-9 . _ : -. A retry with the same key and request gets the first answer (header Idempotent-Replayed: true) without running again, for 24 hours; keys are per user.',
    }),
  );
}

const uploadFingerprints = new WeakMap<FastifyRequest, string>();

/**
 * Declares what a multipart request carried (its fields and its file's sha256), which only the
 * handler reading the stream can know: the same key with another file is then refused, not replayed.
 */
export function fingerprintUpload(request: FastifyRequest, parts: readonly string[]): void {
  uploadFingerprints.set(request, JSON.stringify(parts));
}

export function uploadFingerprint(request: FastifyRequest): string | undefined {
  return uploadFingerprints.get(request);
}
