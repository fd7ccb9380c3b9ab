import { join } from 'node:path';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { OpenAPIObject } from '@nestjs/swagger';
import { LoggerModule } from 'nestjs-pino';
import openapiTS, { COMMENT_HEADER, type OpenAPI3, astToString } from 'openapi-typescript';
import { format, resolveConfig } from 'prettier';
import ts from 'typescript';
import { ConfigModule, loadConfig } from '@app/config';
import { CommonModule, loggerParams } from '@app/common';
import { DatabaseModule } from '@app/database';
import { QueueModule } from '@app/queue';
import { ApiModule } from './api.module';
import { CONTRACT_FILES, buildOpenApiDocument } from './openapi';

/**
 * The document of the API as `npm run openapi` commits it: the API's module graph in Nest's preview mode,
 * so nothing connects, listens or reads the environment (a fixed configuration; the document does not depend on it).
 */
export async function generateOpenApiDocument(): Promise<OpenAPIObject> {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: 'postgres://ouflow@127.0.0.1:5432/ouflow' });
  @Module({
    imports: [
      ConfigModule.forRoot(config),
      CommonModule,
      LoggerModule.forRoot(loggerParams(config.logLevel, 'api')),
      DatabaseModule.forRoot(config),
      QueueModule.forRoot(config),
      ApiModule,
    ],
  })
  class OpenApiRoot {}
  const app = await NestFactory.create(OpenApiRoot, new FastifyAdapter(), { preview: true, logger: false, abortOnError: false });
  try {
    return buildOpenApiDocument(app);
  } finally {
    await app.close();
  }
}

/** The text of each contract file as the code makes it today, formatted as the repository formats everything (prettier). */
export async function renderContract(root: string): Promise<Record<keyof typeof CONTRACT_FILES, string>> {
  const document = await generateOpenApiDocument();
  const options = (await resolveConfig(join(root, CONTRACT_FILES.schema))) ?? {};
  const nodes = await openapiTS(structuredClone(document) as unknown as OpenAPI3, {
    // A field with a default is still optional to send (the server fills it in).
    defaultNonNullable: false,
    // A file field is a Blob (or File) the client appends to its FormData, not a string.
    transform: (schema) => (schema.format === 'binary' ? ts.factory.createTypeReferenceNode('Blob') : undefined),
  });
  const types = COMMENT_HEADER + astToString(nodes);
  return {
    document: await format(JSON.stringify(document), { ...options, parser: 'json' }),
    schema: await format(types, { ...options, parser: 'typescript' }),
  };
}
