import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import multipart from '@fastify/multipart';
import { type DynamicModule, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import type { ConnectionError, FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { OpenAPIObject } from '@nestjs/swagger';
import { type AppConfig, fastifyTrustProxy } from '@app/config';
import { DomainError, ErrorFilter, assertAcceptableJson, createValidationPipe, requestIdOf, toErrorResponse } from '@app/common';
import { buildOpenApiDocument } from './openapi';
import { mountQueueBoard } from './operations/queue-board';
import { securityHeaders } from './security-headers';
import { WEB_APP_ROOT, mountWebApp } from './web-app';

/** Builds the Fastify-based HTTP application around a root module; the caller listens. */
export async function createHttpApp(
  root: DynamicModule,
  config: AppConfig,
  options: { shutdownHooks: boolean } = { shutdownHooks: true },
): Promise<NestFastifyApplication> {
  const headers = securityHeaders();
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    trustProxy: fastifyTrustProxy(config.trustProxy),
    genReqId: requestIdOf,
    requestIdHeader: false,
    // The router refuses a malformed URL (400) or an over-long path parameter (414) before any hook:
    // answer with the error body and the security headers, never echoing the URL.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => sendError(reply.headers(headers), error),
    clientErrorHandler: answerClientError,
  });
  // The body parsers are ours (JSON only, depth-checked); Nest's would add application/x-www-form-urlencoded.
  const app = await NestFactory.create<NestFastifyApplication>(root, adapter, {
    bufferLogs: true,
    abortOnError: false,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', async (request, reply) => {
    void reply.headers(headers).header('x-request-id', request.id);
  });
  acceptJsonBodiesOnly(fastify, config.bodyLimitBytes);
  // Uploads stream to their consumer (nothing buffered here); a route may pass its own limits to request.file().
  await app.register(multipart, { limits: { fileSize: config.attachmentMaxBytes, files: 1, fields: 10 } });
  app.enableCors({
    origin: config.corsOrigins.length > 0 ? config.corsOrigins : false,
    credentials: true,
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Request-Id'],
    exposedHeaders: ['X-Request-Id'],
  });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ErrorFilter());
  refuseMultipartExceptWhereDocumented(fastify, setupOpenApi(app));
  await mountQueueBoard(app);
  if (!(await mountWebApp(app))) app.get(Logger).warn(`web app not built (${WEB_APP_ROOT} has no index.html): npm run build`, 'WebApp');
  // The standalone app stops things in its own order (app, mail catcher, database).
  if (options.shutdownHooks) app.enableShutdownHooks();
  await app.init();
  return app;
}

function setupOpenApi(app: INestApplication): OpenAPIObject {
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json', yamlDocumentUrl: 'docs/openapi.yaml' });
  return document;
}

function sendError(reply: FastifyReply, error: unknown): FastifyReply {
  const { status, body, headers } = toErrorResponse(error);
  return reply
    .headers(headers ?? {})
    .status(status)
    .header('content-type', 'application/json; charset=utf-8')
    .send(body);
}

/**
 * Bodies are JSON, refused (400) when nested deeper than validation can walk, or multipart (registered by
 * @fastify/multipart). Any other content type, or a body without one, answers 415 before a handler runs.
 */
function acceptJsonBodiesOnly(fastify: FastifyInstance, bodyLimit: number): void {
  fastify.removeAllContentTypeParsers();
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit }, (request, body, done) => {
    try {
      assertAcceptableJson(String(body));
    } catch (error) {
      done(error as Error, undefined);
      return;
    }
    void parseJson(request, String(body), done);
  });
}

/** Multipart is accepted only by the routes whose OpenAPI operation documents it (uploads, imports); elsewhere 415. */
function refuseMultipartExceptWhereDocumented(fastify: FastifyInstance, document: OpenAPIObject): void {
  const allowed = new Set<string>();
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      const content = (operation as { requestBody?: { content?: Record<string, unknown> } }).requestBody?.content;
      if (content && 'multipart/form-data' in content) allowed.add(`${method.toUpperCase()} ${path.replace(/\{([^}]+)\}/g, ':$1')}`);
    }
  }
  fastify.addHook('onRequest', async (request) => {
    const type = request.headers['content-type'];
    if (typeof type === 'string' && /^\s*multipart\//i.test(type) && !allowed.has(`${request.method} ${request.routeOptions.url}`)) {
      throw new DomainError('unsupported_media', 'request.unsupported_media_type', '此接口只接受 JSON。This route accepts JSON only.');
    }
  });
}

/**
 * Errors Node's HTTP parser raises before Fastify sees a request. Node counts the request line within its
 * header size limit, so an over-long URL also overflows it: a request line that does not end within the
 * packet, or is longer than 8 KiB, answers 414, other overflows 431. The answer never echoes the request.
 */
function answerClientError(error: ConnectionError, socket: Socket): void {
  const { code, rawPacket } = error as { code?: string; rawPacket?: unknown };
  if (code === 'ECONNRESET' || socket.destroyed) return;
  let status = 400;
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') status = 408;
  else if (code === 'HPE_HEADER_OVERFLOW') {
    const lineEnd = Buffer.isBuffer(rawPacket) ? rawPacket.indexOf('\r\n') : 0;
    status = lineEnd === -1 || lineEnd > 8192 ? 414 : 431;
  }
  const { body } = toErrorResponse({ statusCode: status });
  const text = JSON.stringify(body);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Bad Request'}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        'X-Content-Type-Options: nosniff\r\n' +
        `Content-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
    );
  }
  socket.destroy(error);
}
