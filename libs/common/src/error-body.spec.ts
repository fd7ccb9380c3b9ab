import { writeFileSync } from 'node:fs';
import { QueryFailedError } from 'typeorm';
import { DomainError } from './domain-error';
import { toErrorResponse } from './error-body';
import { assertAcceptableJson } from './validation';

function pgError(code: string, message = 'failed'): Error & { code: string } {
  return Object.assign(new Error(message), { code });
}

describe('toErrorResponse for outages', () => {
  it.each([
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    [
      'an admin shutdown (57P01) inside a QueryFailedError',
      new QueryFailedError('SELECT 1', [], pgError('57P01', 'terminating connection')),
    ],
    ['a connection exception (08006)', pgError('08006')],
    ['a terminated connection without a code', new Error('Connection terminated unexpectedly')],
    ['a pool timeout', new Error('timeout exceeded when trying to connect')],
    [
      'an aggregate of refused connections (IPv4 and IPv6)',
      new AggregateError([Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })], 'connect failed'),
    ],
    ['a cause chain', new Error('outer', { cause: Object.assign(new Error('inner'), { code: 'ETIMEDOUT' }) })],
  ])('answers 503 service.unavailable with Retry-After for %s', (_name, error) => {
    const response = toErrorResponse(error);
    expect(response.status).toBe(503);
    expect(response.body.error.code).toBe('service.unavailable');
    expect(Number(response.headers?.['retry-after'])).toBeGreaterThan(0);
  });

  it('answers 507 storage.full for a full disk (a real ENOSPC from /dev/full) and a full database disk', () => {
    let enospc: unknown;
    try {
      writeFileSync('/dev/full', 'x');
    } catch (error) {
      enospc = error;
    }
    expect(toErrorResponse(enospc)).toMatchObject({ status: 507, body: { error: { code: 'storage.full' } } });
    expect(toErrorResponse(pgError('EDQUOT')).status).toBe(507);
    expect(toErrorResponse(new QueryFailedError('INSERT', [], pgError('53100'))).status).toBe(507);
  });

  it('still answers 500 internal for a bug, and a DomainError by its kind', () => {
    expect(toErrorResponse(new TypeError('x is undefined')).status).toBe(500);
    expect(toErrorResponse(new QueryFailedError('SELECT', [], pgError('42P01'))).status).toBe(500);
    expect(toErrorResponse(new DomainError('conflict', 'x.y', 'm')).status).toBe(409);
  });

  it('does not loop on an error that is its own cause', () => {
    const error: Error & { cause?: unknown } = new Error('self');
    error.cause = error;
    expect(toErrorResponse(error).status).toBe(500);
  });
});

describe('assertAcceptableJson', () => {
  const depthError = (text: string): string | undefined => {
    try {
      assertAcceptableJson(text, 3);
      return undefined;
    } catch (error) {
      return (error as DomainError).code;
    }
  };

  it('refuses nesting beyond the limit, arrays and objects alike', () => {
    expect(depthError('[[[]]]')).toBeUndefined();
    expect(depthError('[[[[]]]]')).toBe('request.too_deep');
    expect(depthError('{"a":{"b":{"c":{}}}}')).toBe('request.too_deep');
    expect(depthError('[[[]],[[]],[[]]]')).toBeUndefined();
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    expect(depthError('["[[[[[", "\\"[[[[", {"k[[[[": "]]]]"}]')).toBeUndefined();
    expect(depthError('["\\\\", [[[]]]]')).toBe('request.too_deep');
  });

  it('refuses escapes of lone surrogates, and takes pairs and other escapes', () => {
    expect(depthError('["\\ud800"]')).toBe('request.invalid_text');
    expect(depthError('["\\udc00x"]')).toBe('request.invalid_text');
    expect(depthError('["\\uD83D\\u0041"]')).toBe('request.invalid_text');
    expect(depthError('["\\uD83D\\uDE00", "\\u4e2d\\n\\\\ud800"]')).toBeUndefined();
    expect(JSON.parse('["\\uD83D\\uDE00"]')).toEqual(['😀']);
  });

  it('scans a megabyte of brackets in linear time', () => {
    const started = process.hrtime.bigint();
    expect(() => assertAcceptableJson('['.repeat(1_000_000))).toThrow(DomainError);
    expect(() => assertAcceptableJson(`[${'[],'.repeat(300_000)}[]]`)).not.toThrow();
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(1_000);
  });
});
