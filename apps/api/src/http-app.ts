import multipart from '@fastify/multipart';
import { type DynamicModule, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { type AppConfig, fastifyTrustProxy } from '@app/config';
import { ErrorFilter, createValidationPipe, requestIdOf } from '@app/common';
import { buildOpenApiDocument } from './openapi';
import { mountQueueBoard } from './operations/queue-board';
import { securityHeaders } from './security-headers';

/** Builds the Fastify-based HTTP application around a root module; the caller listens. */
export async function createHttpApp(
  root: DynamicModule,
  config: AppConfig,
  options: { shutdownHooks: boolean } = { shutdownHooks: true },
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    trustProxy: fastifyTrustProxy(config.trustProxy),
    genReqId: requestIdOf,
    requestIdHeader: false,
  });
  const app = await NestFactory.create<NestFastifyApplication>(root, adapter, { bufferLogs: true, abortOnError: false });
  app.useLogger(app.get(Logger));
  const fastify = app.getHttpAdapter().getInstance();
  const headers = securityHeaders();
  fastify.addHook('onRequest', async (request, reply) => {
    void reply.headers(headers).header('x-request-id', request.id);
  });
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
  setupOpenApi(app);
  await mountQueueBoard(app);
  // The standalone app stops things in its own order (app, mail catcher, database).
  if (options.shutdownHooks) app.enableShutdownHooks();
  await app.init();
  return app;
}

function setupOpenApi(app: INestApplication): void {
  SwaggerModule.setup('docs', app, buildOpenApiDocument(app), {
    jsonDocumentUrl: 'docs/openapi.json',
    yamlDocumentUrl: 'docs/openapi.yaml',
  });
}
