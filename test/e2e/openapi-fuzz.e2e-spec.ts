import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { ROLES, type Role } from '@app/identity';
import { makeOrganisation, makeUser } from '../../libs/identity/src/testing/identity-fixtures';
import { type TestApp, startTestApp } from '../support/app';
import { INCUBATOR_FORM, login, openCall } from '../support/procedure';

/**
 * A bounded property-based fuzzer over the OpenAPI document: every operation, as every identity
 * (anonymous and one user per role), with malformed and boundary inputs. Properties: no answer is
 * 5xx, a rejected request (4xx) changes no business row, the outbox included (so it sends no mail), and a
 * body in a content type the operation does not document (form, text, multipart elsewhere) is refused.
 *
 * Reproducible: FUZZ_SEED (default below) fixes every input; FUZZ_RUNS sets the random runs on top
 * of the sweep of every operation x identity, e.g. `FUZZ_SEED=7 FUZZ_RUNS=2000 npx jest openapi-fuzz`.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20_271_201);
const RUNS = Number(process.env.FUZZ_RUNS ?? 1200);

/** Operations left out: logout would end the identity's session for the rest of the run. */
const SKIPPED = new Set(['POST /auth/logout']);

/**
 * Tables a rejected request may legitimately write: the audit log (failed authorisations), rate-limit and
 * idempotency bookkeeping, worker heartbeats. Columns likewise: failed-login counters and lockouts.
 */
const BOOKKEEPING_TABLES = /audit|idempot|rate_limit|throttl|attempt|heartbeat|schema_migration|checkpoint|limiter/;
const BOOKKEEPING_COLUMNS = /failed_login|locked_until|last_login|attempt|throttl|slow/;

type Identity = 'anonymous' | Role;
const IDENTITIES: Identity[] = ['anonymous', ...ROLES];

interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  minimum?: number;
  maximum?: number;
  nullable?: boolean;
  example?: unknown;
  minLength?: number;
  maxLength?: number;
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  schema?: Schema;
}

interface Operation {
  method: string;
  path: string;
  parameters: Parameter[];
  body?: { json?: Schema; multipart: boolean };
}

interface OpenApi {
  paths: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: { content?: Record<string, { schema?: Schema }> } }>>;
  components?: { schemas?: Record<string, Schema> };
}

type BodyShape =
  | { kind: 'none' }
  | { kind: 'json'; value: unknown }
  | { kind: 'text'; contentType: string; text: string }
  | { kind: 'multipart'; fields: Record<string, string>; file?: { name: string; content: string } };

interface FuzzInput {
  operation: number;
  identity: Identity;
  pathValues: string[];
  query: Record<string, string>;
  body: BodyShape;
}

function nested(depth: number, leaf: unknown = 1): unknown {
  let value = leaf;
  for (let level = 0; level < depth; level++) value = level % 2 ? { a: value } : [value];
  return value;
}

/** Values of the wrong type, the boundaries and the absurd. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, -2_147_483_649, 1e308, -1e308, 0.5, '', ' ', '0', '-1', 'null', '[]', '{}'),
  fc.constantFrom(
    'x'.repeat(100_000),
    '\u0000',
    '\ud800',
    '../../etc/passwd',
    '<script>alert(1)</script>',
    "' OR 1=1 --",
    '😀'.repeat(500),
  ),
  fc.constantFrom('2027-02-30', '9999-12-31T23:59:59Z', '-000001-01-01T00:00:00Z', 'not-a-date', '00000000-0000-0000-0000-000000000000'),
  fc.constantFrom(nested(20), nested(40), [], {}, [[[]]], JSON.parse('{"__proto__":{"admin":true}}') as unknown, {
    constructor: { prototype: { admin: true } },
  }),
  fc.string({ maxLength: 40 }),
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 5 }),
);

describe('OpenAPI fuzzer (no 5xx; a rejected request changes nothing)', () => {
  let test: TestApp;
  let db: DataSource;
  let document: OpenApi;
  let operations: Operation[];
  let fingerprintSql: string;
  const tokens: Partial<Record<Identity, string>> = {};
  const knownIds: string[] = [];
  const failures: string[] = [];
  const statuses = new Map<number, number>();

  beforeAll(async () => {
    test = await startTestApp();
    db = test.app.get(DataSource);
    const organisation = await makeOrganisation(db, { industryCodes: ['emerg.digital'] });
    const users: Record<Role, { email: string; password: string; id: string }> = {
      applicant: await makeUser(db, { role: 'applicant', organisationId: organisation.id, isOrganisationOwner: true }),
      county_officer: await makeUser(db, { role: 'county_officer', regionCode: organisation.regionCode }),
      bureau_officer: await makeUser(db, { role: 'bureau_officer' }),
      expert: await makeUser(db, { role: 'expert', expertise: ['emerg.digital'] }),
      leader: await makeUser(db, { role: 'leader' }),
      admin: await makeUser(db, { role: 'admin' }),
    };
    for (const role of ROLES) tokens[role] = await login(test.baseUrl, users[role]);
    const callId = await openCall(test.baseUrl, tokens.bureau_officer ?? '');
    const draft = await fetch(`${test.baseUrl}/applications`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.applicant}`, 'content-type': 'application/json' },
      body: JSON.stringify({ callId, name: '模糊测试孵化器', subtype: 'comprehensive', form: INCUBATOR_FORM }),
    });
    expect(draft.status).toBe(201);
    knownIds.push(callId, ((await draft.json()) as { id: string }).id, organisation.id, users.applicant.id, users.expert.id);

    document = (await (await fetch(`${test.baseUrl}/docs/openapi.json`)).json()) as OpenApi;
    operations = [];
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        if (SKIPPED.has(`${method.toUpperCase()} ${path}`)) continue;
        const content = operation.requestBody?.content ?? {};
        operations.push({
          method: method.toUpperCase(),
          path,
          parameters: operation.parameters ?? [],
          body: operation.requestBody
            ? { json: content['application/json']?.schema, multipart: 'multipart/form-data' in content }
            : undefined,
        });
      }
    }
    fingerprintSql = await buildFingerprintSql(db);
  });

  afterAll(() => test?.close());

  function resolve(schema: Schema | undefined, depth = 0): Schema {
    if (!schema || depth > 8) return {};
    if (schema.$ref) return resolve(document.components?.schemas?.[schema.$ref.split('/').pop() ?? ''], depth + 1);
    const combined = schema.allOf ?? schema.oneOf ?? schema.anyOf;
    if (combined?.length) return resolve(combined[0], depth + 1);
    return schema;
  }

  /** A value that fits the schema as documented; the mutations below then break it. */
  function validValue(schema: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
    const resolved = resolve(schema);
    if (depth > 6) return fc.constant(null);
    if (resolved.enum?.length) return fc.constantFrom(...resolved.enum);
    // The documented example is the likeliest valid value; generated ones explore around it.
    if (resolved.example !== undefined && resolved.type !== 'object') {
      return fc.oneof({ weight: 3, arbitrary: fc.constant(resolved.example) }, { weight: 1, arbitrary: generatedValue(resolved, depth) });
    }
    return generatedValue(resolved, depth);
  }

  function generatedValue(resolved: Schema, depth: number): fc.Arbitrary<unknown> {
    switch (resolved.type) {
      case 'string':
        if (resolved.format === 'uuid') return fc.oneof(fc.constantFrom(...knownIds), fc.uuid());
        if (resolved.format === 'date-time') return fc.date({ noInvalidDate: true }).map((date) => date.toISOString());
        if (resolved.format === 'date') return fc.constantFrom('2027-01-01', '2026-12-31');
        if (resolved.format === 'email') return fc.constantFrom('fuzz@example.cn', 'a@b.c');
        return fc.string({ minLength: resolved.minLength ?? 0, maxLength: Math.min(resolved.maxLength ?? 30, 30) });
      case 'integer':
        return fc.integer({ min: resolved.minimum ?? -10, max: resolved.maximum ?? 10_000 });
      case 'number':
        return fc.double({ noNaN: true, noDefaultInfinity: true, min: resolved.minimum ?? -10, max: resolved.maximum ?? 10_000 });
      case 'boolean':
        return fc.boolean();
      case 'array':
        return fc.array(validValue(resolved.items, depth + 1), { maxLength: 3 });
      default: {
        const properties = resolved.properties ?? {};
        const names = Object.keys(properties);
        if (names.length === 0) return fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 });
        return fc.record(Object.fromEntries(names.map((name) => [name, validValue(properties[name], depth + 1)])), {
          requiredKeys: (resolved.required ?? []).filter((name) => names.includes(name)),
        });
      }
    }
  }

  /** Malformed and boundary variants of a documented body. */
  function jsonBody(schema: Schema | undefined): fc.Arbitrary<unknown> {
    const valid = validValue(schema);
    const names = Object.keys(resolve(schema).properties ?? {});
    const field = names.length > 0 ? fc.constantFrom(...names) : fc.constant('anything');
    return fc.oneof(
      { weight: 2, arbitrary: valid },
      // One documented field with a hostile value.
      { weight: 4, arbitrary: fc.tuple(valid, field, hostileValue).map(([value, name, bad]) => ({ ...asObject(value), [name]: bad })) },
      // Every numeric field negative or enormous.
      {
        weight: 1,
        arbitrary: fc.tuple(valid, fc.constantFrom(-1, -999_999_999, 1e21, 2 ** 53)).map(([value, number]) => mapNumbers(value, number)),
      },
      // Unknown fields, and prototype pollution attempts.
      { weight: 1, arbitrary: valid.map((value) => ({ ...asObject(value), unknownField: 'x', isAdmin: true })) },
      // The whole body replaced by something of another shape.
      { weight: 2, arbitrary: hostileValue },
    );
  }

  function bodyFor(operation: Operation): fc.Arbitrary<BodyShape> {
    const json = jsonBody(operation.body?.json);
    const junkFile = fc.constantFrom(
      { name: 'a.pdf', content: '%PDF-1.4\nnot really' },
      { name: '../../../etc/passwd', content: 'root:x:0:0' },
      { name: 'a.xlsx', content: 'PK\u0003\u0004garbage' },
      { name: 'empty.txt', content: '' },
    );
    return fc.oneof(
      { weight: 6, arbitrary: json.map((value): BodyShape => ({ kind: 'json', value })) },
      { weight: 1, arbitrary: fc.constant<BodyShape>({ kind: 'none' }) },
      {
        weight: 2,
        arbitrary: fc
          .tuple(
            fc.constantFrom(
              'application/x-www-form-urlencoded',
              'text/plain',
              'application/xml',
              'application/json',
              'application/json; charset=latin1',
            ),
            fc.constantFrom('a=1&b=2', '{"a":', '{"a":1}', '<x/>', '[1,2,3', 'null', '\u0000'),
          )
          .map(([contentType, text]): BodyShape => ({ kind: 'text', contentType, text })),
      },
      {
        weight: operation.body?.multipart ? 4 : 1,
        arbitrary: fc
          .tuple(
            fc.dictionary(fc.constantFrom('documentCode', 'name', 'dryRun', 'x'), fc.string({ maxLength: 20 }), { maxKeys: 3 }),
            fc.option(junkFile),
          )
          .map(([fields, file]): BodyShape => ({ kind: 'multipart', fields, file: file ?? undefined })),
      },
    );
  }

  function inputFor(index: number, identity?: Identity): fc.Arbitrary<FuzzInput> {
    const operation = operations[index];
    const pathParams = operation.path.match(/\{[^}]+\}/g) ?? [];
    const pathValue = fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...knownIds) },
      { weight: 1, arbitrary: fc.uuid() },
      {
        weight: 2,
        arbitrary: fc.constantFrom(
          'not-a-uuid',
          '0',
          '-1',
          '1e9',
          'x'.repeat(90),
          '%2e%2e',
          '..',
          'null',
          '%00',
          '中文',
          'WZ-INC-2027-0001',
        ),
      },
    );
    const queryParams = operation.parameters.filter((parameter) => parameter.in === 'query').map((parameter) => parameter.name);
    const queryValue = fc.oneof(
      fc.constantFrom('-1', '0', '1', '100', '101', '1000000', '1e20', 'abc', '', 'true', '2027-13-45', 'x'.repeat(5000)),
      fc.string({ maxLength: 10 }),
    );
    return fc.record({
      operation: fc.constant(index),
      identity: identity ? fc.constant(identity) : fc.constantFrom(...IDENTITIES),
      pathValues: fc.tuple(...pathParams.map(() => pathValue)),
      query: fc.dictionary(fc.constantFrom('page', 'pageSize', ...queryParams), queryValue, { maxKeys: 4 }),
      body: operation.body || operation.method !== 'GET' ? bodyFor(operation) : fc.constant<BodyShape>({ kind: 'none' }),
    });
  }

  async function fingerprint(): Promise<string> {
    const rows: { fp: string }[] = await db.query(fingerprintSql);
    return rows.map((row) => row.fp).join(';');
  }

  /** Sends one input; records a failure when the answer is 5xx, or 4xx with business rows changed. */
  async function probe(input: FuzzInput, before: string): Promise<string> {
    const operation = operations[input.operation];
    let index = 0;
    const path = operation.path.replace(/\{[^}]+\}/g, () => encodeURIComponent(input.pathValues[index++] ?? ''));
    const query = new URLSearchParams(input.query).toString();
    const url = `${test.baseUrl}${path}${query ? `?${query}` : ''}`;
    const headers: Record<string, string> = {};
    const token = input.identity === 'anonymous' ? undefined : tokens[input.identity];
    if (token) headers.authorization = `Bearer ${token}`;
    let body: string | FormData | undefined;
    const hasBody = operation.method !== 'GET' && operation.method !== 'HEAD';
    if (hasBody && input.body.kind === 'json') {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(input.body.value) ?? 'null';
    } else if (hasBody && input.body.kind === 'text') {
      headers['content-type'] = input.body.contentType;
      body = input.body.text;
    } else if (hasBody && input.body.kind === 'multipart') {
      const form = new FormData();
      for (const [name, value] of Object.entries(input.body.fields)) form.append(name, value);
      if (input.body.file) form.append('file', new Blob([input.body.file.content]), input.body.file.name);
      body = form;
    }
    const answer = await fetch(url, { method: operation.method, headers, body, redirect: 'manual' });
    const text = await answer.text();
    statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
    const after = await fingerprint();
    const describe = (): string =>
      `${operation.method} ${path}${query ? `?${query.slice(0, 120)}` : ''} as ${input.identity}, ` +
      `${headers['content-type'] ?? (body instanceof FormData ? 'multipart/form-data' : 'no body')}: ` +
      `${typeof body === 'string' ? body.slice(0, 200) : body instanceof FormData ? JSON.stringify(input.body) : ''}`;
    // Readiness answering 503 while a dependency it checks is down is its purpose, not a failed request.
    const notReady = operation.path === '/health/ready' && answer.status === 503 && text.includes('"service.not_ready"');
    if (answer.status >= 500 && !notReady) failures.push(`${answer.status} ${text.slice(0, 160)} <- ${describe()}`);
    else if (answer.status >= 400 && after !== before) failures.push(`${answer.status} but rows changed <- ${describe()}`);
    else if (answer.status < 400 && hasBody && !documentedType(operation, input.body)) {
      failures.push(`${answer.status} for an undocumented content type <- ${describe()}`);
    }
    return after;
  }

  it('answers every operation, as every identity, without a 5xx or a change on rejection', async () => {
    const started = Date.now();
    let current = await fingerprint();
    // Every operation that takes a body, as every identity in turn: 1,500 levels of nesting, and its documented
    // fields form-encoded (a valid form must still be refused).
    const deep = `{"a":${'['.repeat(1500)}${']'.repeat(1500)}}`;
    for (let index = 0; index < operations.length; index++) {
      if (operations[index].method === 'GET') continue;
      const identity = IDENTITIES[index % IDENTITIES.length];
      const [sample] = fc.sample(inputFor(index, identity), { seed: SEED + index, numRuns: 1 });
      const [fields] = fc.sample(validValue(operations[index].body?.json), { seed: SEED + index, numRuns: 1 });
      const form = new URLSearchParams(
        Object.entries(asObject(fields)).flatMap(([name, value]) => (typeof value === 'object' ? [] : [[name, String(value)]])),
      );
      for (const body of [
        { kind: 'text', contentType: 'application/json', text: deep },
        { kind: 'text', contentType: 'application/x-www-form-urlencoded', text: form.toString() },
      ] as const) {
        current = await probe({ ...sample, body }, current);
      }
    }
    // The sweep: every operation as every identity, one seeded malformed input each.
    for (let index = 0; index < operations.length; index++) {
      for (const identity of IDENTITIES) {
        const [input] = fc.sample(inputFor(index, identity), { seed: SEED + index * 31 + IDENTITIES.indexOf(identity), numRuns: 1 });
        current = await probe(input, current);
      }
    }
    // Then random operations, identities and inputs from the seed.
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: operations.length - 1 }).chain((index) => inputFor(index)),
        async (input) => {
          current = await probe(input, current);
        },
      ),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    const requests = [...statuses.values()].reduce((sum, n) => sum + n, 0);
    const histogram = [...statuses].sort(([a], [b]) => a - b).map(([status, n]) => `${status}:${n}`);
    process.stdout.write(
      `openapi-fuzz: ${operations.length} operations x ${IDENTITIES.length} identities, ${requests} requests in ` +
        `${Date.now() - started} ms (FUZZ_SEED=${SEED}, FUZZ_RUNS=${RUNS}); answers ${histogram.join(' ')}\n`,
    );
    expect(failures).toEqual([]);
  });
});

/** Whether a body was sent in a content type the operation accepts: JSON anywhere, multipart where documented. */
function documentedType(operation: Operation, body: BodyShape): boolean {
  if (body.kind === 'multipart') return operation.body?.multipart ?? false;
  if (body.kind === 'text') return /^application\/json/.test(body.contentType);
  return true;
}

function asObject(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function mapNumbers(value: unknown, number: number): unknown {
  if (typeof value === 'number') return number;
  if (Array.isArray(value)) return value.map((item) => mapNumbers(item, number));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, mapNumbers(item, number)]));
  }
  return value;
}

/** One query: per business table its row count and a checksum of its rows, bookkeeping columns left out. */
async function buildFingerprintSql(db: DataSource): Promise<string> {
  const columns: { table_name: string; column_name: string }[] = await db.query(
    `SELECT c.table_name, c.column_name FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' ORDER BY c.table_name, c.ordinal_position`,
  );
  const tables = new Map<string, string[]>();
  for (const { table_name: table, column_name: column } of columns) {
    if (BOOKKEEPING_TABLES.test(table)) continue;
    const list = tables.get(table) ?? [];
    if (BOOKKEEPING_COLUMNS.test(column)) list.push(column);
    tables.set(table, list);
  }
  const perTable = [...tables]
    .map(([table, skipped]) => {
      const row = skipped.reduce((expression, column) => `${expression} - '${column}'`, 'to_jsonb(x)');
      return `SELECT '${table}:' || count(*) || ':' || coalesce(sum(hashtext((${row})::text)), 0) AS fp FROM "${table}" x`;
    })
    .join(' UNION ALL ');
  return `SELECT fp FROM (${perTable}) tables ORDER BY fp`;
}
