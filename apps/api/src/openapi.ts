import { type INestApplication, SetMetadata, type Type } from '@nestjs/common';
import { GUARDS_METADATA, HTTP_CODE_METADATA, METHOD_METADATA } from '@nestjs/common/constants';
import { ModulesContainer, Reflector } from '@nestjs/core';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import { PUBLIC_KEY } from '@app/identity';

/**
 * The files `npm run openapi` writes, relative to the repository root: the document, and the client's types
 * generated from it. `npm test` fails when they do not match the code.
 */
export const CONTRACT_FILES = { document: 'apps/api/openapi.json', schema: 'apps/web/src/api/schema.ts' } as const;

type OperationObject = NonNullable<OpenAPIObject['paths'][string]['get']>;
type Parameter = NonNullable<OperationObject['parameters']>[number];
type Response = OperationObject['responses'][string];

const API_ERRORS_KEY = 'ouflow:api-errors';

type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503;

/**
 * Error statuses a route answers beyond those the document infers from its shape (see ERROR_RESPONSES),
 * e.g. 503 where a stored file or a shared store may be out of reach.
 */
export const ApiErrors = (...statuses: ErrorStatus[]): MethodDecorator & ClassDecorator => SetMetadata(API_ERRORS_KEY, statuses);

/** Every error answer carries the one error body (libs/common/src/error-body.ts); one named response per status. */
const ERROR_RESPONSES: Record<ErrorStatus, { name: string; description: string }> = {
  400: {
    name: 'BadRequest',
    description: '请求参数有误（details.fields 列出每个字段）。Invalid request; details.fields names each bad field.',
  },
  401: { name: 'Unauthenticated', description: '未登录或令牌无效。No valid access token.' },
  403: { name: 'Forbidden', description: '无权执行此操作。The caller may not do this.' },
  404: { name: 'NotFound', description: '资源不存在或不可见。Not found, or not visible to the caller.' },
  409: {
    name: 'Conflict',
    description:
      '与当前状态冲突（版本已过期、重复、幂等键正在使用）。Conflicts with the current state (stale version, duplicate, key in use).',
  },
  413: { name: 'PayloadTooLarge', description: '文件或请求体过大。The file or the body is too large.' },
  415: { name: 'UnsupportedMediaType', description: '不支持的文件或内容类型。Unsupported file or content type.' },
  422: { name: 'Unprocessable', description: '违反业务规则（code 说明哪一条）。A business rule refuses it; the code says which.' },
  429: { name: 'TooManyRequests', description: '请求过于频繁，请按 Retry-After 稍后再试。Too many requests; retry after Retry-After.' },
  503: { name: 'ServiceUnavailable', description: '依赖的服务暂不可用。A service it depends on is unavailable.' },
};

const MUTATIONS = new Set(['post', 'put', 'patch', 'delete']);
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

interface HandlerFacts {
  isPublic: boolean;
  throttled: boolean;
  extraErrors: ErrorStatus[];
  /** The status of a success when @HttpCode sets it (else Nest's default for the method). */
  httpCode: number | undefined;
}

/** The OpenAPI document of the app: what SwaggerModule reads from the decorators, completed from the routes' own metadata. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Ouflow API')
      .setDescription('温州市创新平台认定与跟踪系统 · Recognition and tracking of Wenzhou innovation platforms')
      .setVersion('0.1.0')
      .setLicense('UNLICENSED', 'https://docs.npmjs.com/cli/configuring-npm/package-json#license')
      .addServer('/', '本服务。This server.')
      .addBearerAuth()
      .build(),
  );
  return completeDocument(document, handlerFacts(app));
}

/** Facts about each handler, by the operationId SwaggerModule gives it (`Controller_method`). */
function handlerFacts(app: INestApplication): Map<string, HandlerFacts> {
  const reflector = new Reflector();
  const facts = new Map<string, HandlerFacts>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type | null;
      if (!controller) continue;
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler: unknown = Object.getOwnPropertyDescriptor(controller.prototype, name)?.value;
        if (typeof handler !== 'function' || Reflect.getMetadata(METHOD_METADATA, handler) === undefined) continue;
        const targets = [handler, controller];
        const guards: unknown[] = [
          ...(Reflect.getMetadata(GUARDS_METADATA, controller) ?? []),
          ...(Reflect.getMetadata(GUARDS_METADATA, handler) ?? []),
        ];
        facts.set(`${controller.name}_${name}`, {
          isPublic: reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets) === true,
          throttled: guards.some((guard) => typeof guard === 'function' && guard.prototype instanceof ThrottlerGuard),
          extraErrors: [...(reflector.getAllAndMerge<ErrorStatus[]>(API_ERRORS_KEY, targets) ?? [])],
          httpCode: Reflect.getMetadata(HTTP_CODE_METADATA, handler),
        });
      }
    }
  }
  return facts;
}

function completeDocument(document: OpenAPIObject, facts: Map<string, HandlerFacts>): OpenAPIObject {
  const components = (document.components ??= {});
  components.schemas = {
    ...components.schemas,
    ErrorBody: {
      type: 'object',
      required: ['error'],
      properties: {
        error: {
          type: 'object',
          required: ['code', 'message', 'details'],
          properties: {
            code: { type: 'string', description: 'Stable, for programs', example: 'request.validation_failed' },
            message: {
              type: 'string',
              description: '中文在前，英文在后。Chinese first, then English.',
              example: '请求参数有误。The request has invalid fields.',
            },
            details: {
              type: 'object',
              additionalProperties: true,
              description: 'What the code needs: the bad fields, the rule, the limit',
            },
          },
        },
      },
    },
  };
  components.responses = {
    ...components.responses,
    ...Object.fromEntries(
      Object.values(ERROR_RESPONSES).map(({ name, description }) => [
        name,
        { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } } },
      ]),
    ),
  };
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation: OperationObject | undefined = item[method];
      if (!operation) continue;
      const fact = facts.get(operation.operationId ?? '') ?? { isPublic: false, throttled: false, extraErrors: [], httpCode: undefined };
      operation.security = fact.isPublic ? [] : [{ bearer: [] }];
      // Nest answers a POST with 201 unless @HttpCode says otherwise; every other method with 200.
      answerSuccessWith(operation, fact.httpCode ?? (method === 'post' ? 201 : 200));
      addErrorResponses(operation, errorStatuses(path, method, operation, fact));
    }
  }
  return document;
}

/** @ApiOkResponse says 200 whatever @HttpCode says; the document carries the status the route answers. */
function answerSuccessWith(operation: OperationObject, status: number): void {
  const successes = Object.keys(operation.responses).filter((code) => code.startsWith('2'));
  if (successes.length !== 1 || successes[0] === String(status)) return;
  const { [successes[0]]: success, ...others } = operation.responses;
  operation.responses = { [String(status)]: success, ...others };
}

/** The error statuses a route can answer, from its shape: its inputs, its access, its kind of body. */
function errorStatuses(path: string, method: string, operation: OperationObject, fact: HandlerFacts): Set<ErrorStatus> {
  const parameters = (operation.parameters ?? []).filter((parameter: Parameter) => !('$ref' in parameter));
  const statuses = new Set<ErrorStatus>(fact.extraErrors);
  if (parameters.length > 0 || operation.requestBody) statuses.add(400);
  if (!fact.isPublic) statuses.add(401).add(403);
  if (/\{[^}]+\}/.test(path)) statuses.add(404);
  if (MUTATIONS.has(method)) statuses.add(409).add(422);
  const body = operation.requestBody && !('$ref' in operation.requestBody) ? operation.requestBody : undefined;
  if (body?.content['multipart/form-data']) statuses.add(413).add(415);
  // The shared rate-limit store may be out of reach; a limited route then refuses rather than goes unlimited.
  if (fact.throttled) statuses.add(429).add(503);
  return statuses;
}

function addErrorResponses(operation: OperationObject, statuses: Set<ErrorStatus>): void {
  const responses: Record<string, Response> = operation.responses;
  for (const status of [...statuses].sort((a, b) => a - b)) {
    const declared = responses[String(status)];
    const reference = { $ref: `#/components/responses/${ERROR_RESPONSES[status].name}` };
    // A route that describes one of its errors keeps its words; the body is always the error body.
    responses[String(status)] =
      declared && !('$ref' in declared) && declared.description
        ? { description: declared.description, content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } } }
        : reference;
  }
  for (const [status, declared] of Object.entries(responses)) {
    if (declared && Number(status) >= 400 && !('$ref' in declared) && !declared.content) {
      declared.content = { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } };
    }
  }
}
