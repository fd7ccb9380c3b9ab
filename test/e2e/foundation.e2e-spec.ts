import { type AddressInfo, type Socket, createServer } from 'node:net';
import SwaggerParser from '@apidevtools/swagger-parser';
import { Body, Controller, Module, Post } from '@nestjs/common';
import { IsInt, IsString, Max, MaxLength, Min } from 'class-validator';
import request from 'supertest';
import { Public } from '@app/identity';
import { type TestApp, startTestApp } from '../support/app';
import { SmtpCatcher } from '../support/smtp-catcher';

class EchoDto {
  @IsString()
  @MaxLength(20)
  name: string;

  @IsInt()
  @Min(0)
  @Max(100)
  count: number;
}

/** A route only this test declares, to exercise the global pipe, filter and body limits. */
@Public()
@Controller('test-echo')
class EchoController {
  @Post()
  echo(@Body() body: EchoDto): EchoDto {
    return body;
  }
}

@Module({ controllers: [EchoController] })
class EchoModule {}

describe('foundation (HTTP)', () => {
  let smtp: SmtpCatcher;
  let test: TestApp;

  beforeAll(async () => {
    smtp = await new SmtpCatcher().start();
    test = await startTestApp({
      smtpUrl: smtp.url,
      extraModules: [EchoModule],
      env: { CORS_ORIGINS: 'https://kjj.wenzhou.gov.cn', BODY_LIMIT_BYTES: '4096' },
    });
  });

  afterAll(async () => {
    await test?.close();
    await smtp?.stop();
  });

  it('answers liveness and readiness with the database and the data disk up, and nothing else', async () => {
    await request(test.baseUrl).get('/health').expect(200, { status: 'ok' });
    const ready = await request(test.baseUrl).get('/health/ready').expect(200);
    expect(ready.body.status).toBe('ok');
    expect(ready.body.details).toEqual({
      database: { status: 'up', responseTime: expect.any(Number) },
      disk: { status: 'up', freeBytes: expect.any(Number), minFreeBytes: 5 * test.config.attachmentMaxBytes },
    });
  });

  it("stays ready without ever connecting to SMTP, up or down: mail is the worker's readiness", async () => {
    // A bare TCP server as SMTP_URL: it counts connections and answers nothing.
    let connections = 0;
    const sockets = new Set<Socket>();
    const server = createServer((socket) => {
      connections += 1;
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const port = (server.address() as AddressInfo).port;
    const other = await startTestApp({ smtpUrl: `smtp://127.0.0.1:${port}` });
    try {
      for (let i = 0; i < 3; i += 1) await request(other.baseUrl).get('/health/ready').expect(200);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      const whileDown = await request(other.baseUrl).get('/health/ready');
      expect(whileDown.status).toBe(200);
      expect(Object.keys(whileDown.body.details)).toEqual(['database', 'disk']);
      expect(connections).toBe(0);
    } finally {
      server.close();
      await other.close();
    }
  });

  it('reports not ready, naming the disk and why, when the data disk has less room than DISK_MIN_FREE_BYTES', async () => {
    const full = await startTestApp({ smtpUrl: smtp.url, env: { DISK_MIN_FREE_BYTES: String(Number.MAX_SAFE_INTEGER) } });
    try {
      const ready = await request(full.baseUrl).get('/health/ready').expect(503);
      expect(ready.body.error.code).toBe('service.not_ready');
      expect(ready.body.error.details).toMatchObject({
        database: { status: 'up' },
        disk: {
          status: 'down',
          freeBytes: expect.any(Number),
          minFreeBytes: Number.MAX_SAFE_INTEGER,
          reason: expect.stringContaining('full'),
        },
      });
    } finally {
      await full.close();
    }
  });

  it('lists the 12 counties and the functional zones with their parent counties', async () => {
    const { body } = await request(test.baseUrl).get('/regions').expect(200);
    const counties = body.filter((r: { kind: string }) => r.kind === 'county');
    const zones = body.filter((r: { kind: string }) => r.kind === 'zone');
    expect(counties.map((r: { code: string }) => r.code)).toEqual([
      'lucheng',
      'longwan',
      'ouhai',
      'dongtou',
      'ruian',
      'yueqing',
      'longgang',
      'yongjia',
      'pingyang',
      'cangnan',
      'wencheng',
      'taishun',
    ]);
    expect(counties.filter((r: { mountain: boolean }) => r.mountain).map((r: { nameZh: string }) => r.nameZh)).toEqual([
      '永嘉县',
      '平阳县',
      '苍南县',
      '文成县',
      '泰顺县',
    ]);
    expect(zones).toEqual([
      expect.objectContaining({ code: 'wenzhou_bay', nameZh: '温州湾新区', parentCountyCode: 'longwan', parentProvisional: false }),
      expect.objectContaining({ code: 'marine_economy', nameZh: '温州海经区', parentCountyCode: 'dongtou', parentProvisional: true }),
    ]);
  });

  it('lists the "5+5" industries and the platform types', async () => {
    const industries = (await request(test.baseUrl).get('/industries').expect(200)).body;
    expect(industries.filter((i: { inFivePlusFive: boolean }) => i.inFivePlusFive)).toHaveLength(10);
    expect(industries.find((i: { code: string }) => i.code === 'trad.pump_valve')).toMatchObject({ nameZh: '泵阀', group: 'traditional' });
    const types = (await request(test.baseUrl).get('/platform-types').expect(200)).body;
    expect(types.map((t: { code: string }) => t.code)).toEqual(['new_rd_institution', 'incubator', 'maker_space', 'key_lab']);
    expect(types.find((t: { code: string }) => t.code === 'new_rd_institution').levels).toEqual(['municipal', 'provincial']);
  });

  it('publishes a valid OpenAPI 3 document', async () => {
    const { body } = await request(test.baseUrl).get('/docs/openapi.json').expect(200);
    expect(body.openapi).toMatch(/^3\./);
    await expect(SwaggerParser.validate(structuredClone(body))).resolves.toBeDefined();
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining(['/health', '/health/ready', '/regions', '/industries', '/platform-types']),
    );
  });

  it('answers unknown routes with 404 and the error body', async () => {
    const { body } = await request(test.baseUrl).get('/no-such-thing').expect(404);
    expect(body).toEqual({ error: { code: 'route.not_found', message: expect.stringContaining('不存在'), details: {} } });
  });

  it('refuses malformed JSON, unknown fields, wrong types and oversized bodies with 4xx', async () => {
    const malformed = await request(test.baseUrl).post('/test-echo').set('content-type', 'application/json').send('{"name": ').expect(400);
    expect(malformed.body.error.code).toBe('request.malformed_json');

    const unknown = await request(test.baseUrl).post('/test-echo').send({ name: 'a', count: 1, admin: true }).expect(400);
    expect(unknown.body.error).toMatchObject({ code: 'request.validation_failed', details: { fields: [{ field: 'admin' }] } });

    const wrongType = await request(test.baseUrl).post('/test-echo').send({ name: 7, count: -1 }).expect(400);
    expect(wrongType.body.error.details.fields.map((f: { field: string }) => f.field).sort()).toEqual(['count', 'name']);

    const huge = await request(test.baseUrl)
      .post('/test-echo')
      .send({ name: 'x'.repeat(10_000), count: 1 })
      .expect(413);
    expect(huge.body.error.code).toBe('request.too_large');

    const wrongMedia = await request(test.baseUrl).post('/test-echo').set('content-type', 'application/x-unknown').send('abc');
    expect(wrongMedia.status).toBe(415);
    expect(wrongMedia.body.error.code).toBe('request.unsupported_media_type');

    await request(test.baseUrl).post('/test-echo').send({ name: 'ok', count: 3 }).expect(201, { name: 'ok', count: 3 });
  });

  it('sets a request id, security headers and CORS only for configured origins', async () => {
    const withId = await request(test.baseUrl).get('/health').set('x-request-id', 'req-12345678').expect(200);
    expect(withId.headers['x-request-id']).toBe('req-12345678');
    const generated = await request(test.baseUrl).get('/health').expect(200);
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(generated.headers['x-content-type-options']).toBe('nosniff');
    expect(generated.headers['content-security-policy']).toContain("default-src 'self'");

    const allowed = await request(test.baseUrl).get('/regions').set('origin', 'https://kjj.wenzhou.gov.cn').expect(200);
    expect(allowed.headers['access-control-allow-origin']).toBe('https://kjj.wenzhou.gov.cn');
    const other = await request(test.baseUrl).get('/regions').set('origin', 'https://evil.example').expect(200);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});
