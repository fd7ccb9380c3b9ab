import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';

export const HELMET_OPTIONS: HelmetOptions = {
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      // blob: for an attachment or sealed letter shown in the page: the downloads need the Authorization header and
      // answer `content-disposition: attachment`, so the web app fetches them as a Blob and shows an object URL
      // (an image in <img>, a PDF in an <iframe> from a Blob typed application/pdf: see AttachmentViewer.vue). Frames: only blobs.
      imgSrc: ["'self'", 'data:', 'blob:'],
      frameSrc: ['blob:'],
      connectSrc: ["'self'"],
      frameAncestors: ["'none'"],
    },
  },
};

/**
 * The headers helmet sets, computed once. @fastify/helmet rebuilt helmet's middleware (and
 * re-parsed the CSP) on every request, about a tenth of the CPU of a small GET; these headers
 * never vary per request here, so one object applied in a hook gives the same response.
 */
export function securityHeaders(options: HelmetOptions = HELMET_OPTIONS): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader(name: string, value: string | number | readonly string[]): void {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader(name: string): void {
      delete headers[name.toLowerCase()];
    },
  };
  let failure: unknown;
  helmet(options)({} as IncomingMessage, response as unknown as ServerResponse, (error?: unknown) => {
    failure = error;
  });
  if (failure) throw failure;
  return headers;
}
