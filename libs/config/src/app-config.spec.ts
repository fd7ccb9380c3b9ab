import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, JWT_SECRET_FILE, fastifyTrustProxy, loadConfig, readAuditHmacKey } from './app-config';

describe('loadConfig', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'ouflow-config-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('runs on embedded defaults when nothing is set', () => {
    const config = loadConfig({ NODE_ENV: 'test' });
    expect(config.port).toBe(3000);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.redisUrl).toBeUndefined();
    expect(config.dataDir).toMatch(/\.data$/);
    expect(config.shutdownTimeoutMs).toBe(30_000);
    expect(config.trustProxy).toBe(false);
  });

  it('makes a random JWT secret on first start in DATA_DIR (mode 0600) and reuses it on restart', () => {
    const first = loadConfig({ DATA_DIR: dataDir });
    const path = join(dataDir, JWT_SECRET_FILE);
    expect(first.jwtSecretSource).toBe('data_dir');
    expect(first.jwtSecret).toBe(readFileSync(path, 'utf8').trim());
    expect(first.jwtSecret).not.toBe('ouflow-development-secret-do-not-use-in-production');
    expect(first.jwtSecret.length).toBeGreaterThanOrEqual(32);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(loadConfig({ DATA_DIR: dataDir }).jwtSecret).toBe(first.jwtSecret);
    const other = mkdtempSync(join(tmpdir(), 'ouflow-config-'));
    expect(loadConfig({ DATA_DIR: other }).jwtSecret).not.toBe(first.jwtSecret);
    rmSync(other, { recursive: true, force: true });
    // JWT_SECRET wins, and production never falls back to a file.
    expect(loadConfig({ DATA_DIR: dataDir, JWT_SECRET: 'y'.repeat(40) }).jwtSecret).toBe('y'.repeat(40));
    expect(() => loadConfig({ DATA_DIR: dataDir, NODE_ENV: 'production' })).toThrow('JWT_SECRET: is required when NODE_ENV=production');
  });

  it('hands Fastify a hop count as "trust the n nearest hops"', () => {
    const trust = fastifyTrustProxy(2);
    expect(typeof trust).toBe('function');
    if (typeof trust !== 'function') return;
    expect([0, 1, 2].map((hop) => trust('10.0.0.1', hop))).toEqual([true, true, false]);
    expect(fastifyTrustProxy(false)).toBe(false);
  });

  it.each([
    ['none', false],
    ['2', 2],
    ['10.0.0.1', ['10.0.0.1']],
    ['10.0.0.0/8, 192.168.1.7 ,::1, fd00::/8, loopback', ['10.0.0.0/8', '192.168.1.7', '::1', 'fd00::/8', 'loopback']],
  ])('reads TRUST_PROXY=%j', (value, expected) => {
    expect(loadConfig({ NODE_ENV: 'test', TRUST_PROXY: value }).trustProxy).toEqual(expected);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT: must be a whole number, got "abc"'],
    [{ PORT: '70000' }, 'PORT: must be between 1 and 65535, got 70000'],
    [{ SHUTDOWN_TIMEOUT_MS: '500' }, 'SHUTDOWN_TIMEOUT_MS: must be between 1000 and 600000, got 500'],
    [{ DATABASE_URL: 'nonsense' }, 'DATABASE_URL: must be a URL starting with postgres:// or postgresql://'],
    [{ DATABASE_URL: 'mysql://x/y' }, 'DATABASE_URL: must start with postgres:// or postgresql://, got "mysql://"'],
    [{ REDIS_URL: 'http://x' }, 'REDIS_URL: must start with redis:// or rediss://, got "http://"'],
    [{ NODE_ENV: 'production' }, 'JWT_SECRET: is required when NODE_ENV=production'],
    [{ JWT_SECRET: 'short' }, 'JWT_SECRET: must be at least 32 characters long'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent, got "loud"'],
    [{ ADMIN_EMAIL: 'admin@ouflow.cn' }, 'ADMIN_PASSWORD: must be set together with the other (ADMIN_EMAIL and ADMIN_PASSWORD)'],
    [{ ADMIN_EMAIL: 'not-an-address', ADMIN_PASSWORD: 'x'.repeat(12) }, 'ADMIN_EMAIL: must be an email address, got "not-an-address"'],
    [{ ADMIN_EMAIL: 'admin@ouflow.cn', ADMIN_PASSWORD: 'short' }, 'ADMIN_PASSWORD: must be at least 12 characters long'],
    [{ DEMO_PASSWORD: 'short' }, 'DEMO_PASSWORD: must be at least 12 characters long'],
    [
      { TRUST_PROXY: 'true' },
      'TRUST_PROXY: must name the proxies (IPs, CIDRs or a hop count); trusting every peer lets clients forge their IP',
    ],
    [{ TRUST_PROXY: '0' }, 'TRUST_PROXY: hop count must be between 1 and 10, got 0'],
    [
      { TRUST_PROXY: '10.0.0.0/33' },
      'TRUST_PROXY: "10.0.0.0/33" is not an IP address, a CIDR like 10.0.0.0/8, or one of loopback, linklocal, uniquelocal',
    ],
    [
      { TRUST_PROXY: 'proxy.local' },
      'TRUST_PROXY: "proxy.local" is not an IP address, a CIDR like 10.0.0.0/8, or one of loopback, linklocal, uniquelocal',
    ],
    [{ CORS_ORIGINS: 'https://a.cn/path' }, 'CORS_ORIGINS: "https://a.cn/path" is not an origin like https://example.cn (no path)'],
  ])('rejects %j with a message naming the variable', (env, message) => {
    expect(() => loadConfig({ NODE_ENV: 'test', ...env })).toThrow(
      new ConfigError(message.split(':')[0], message.slice(message.indexOf(':') + 2)),
    );
  });

  it('accepts production settings', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      JWT_SECRET: 'x'.repeat(40),
      AUDIT_HMAC_KEY: 'k'.repeat(40),
      DATABASE_URL: 'postgres://app:secret@db:5432/ouflow',
      REDIS_URL: 'redis://redis:6379',
      SMTP_URL: 'smtp://mail:25',
      CORS_ORIGINS: 'https://kjj.wenzhou.gov.cn, http://localhost:5173',
    });
    expect(config.redisUrl).toBe('redis://redis:6379');
    expect(config.corsOrigins).toEqual(['https://kjj.wenzhou.gov.cn', 'http://localhost:5173']);
  });

  it('requires AUDIT_HMAC_KEY in production, of at least 32 characters', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) })).toThrow(
      new ConfigError('AUDIT_HMAC_KEY', 'is required when NODE_ENV=production'),
    );
    expect(() => loadConfig({ AUDIT_HMAC_KEY: 'short' })).toThrow(new ConfigError('AUDIT_HMAC_KEY', 'must be at least 32 characters long'));
  });

  it('keeps a random audit key in DATA_DIR (mode 0600) when AUDIT_HMAC_KEY is unset, the same on every start', () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'ouflow-config-')), 'data');
    const key = readAuditHmacKey(loadConfig({ DATA_DIR: dataDir }));
    expect(key.length).toBeGreaterThanOrEqual(32);
    expect(readAuditHmacKey(loadConfig({ DATA_DIR: dataDir }))).toBe(key);
    expect(readFileSync(join(dataDir, 'audit-hmac.key'), 'utf8').trim()).toBe(key);
    expect(statSync(join(dataDir, 'audit-hmac.key')).mode & 0o777).toBe(0o600);
    expect(readAuditHmacKey(loadConfig({ DATA_DIR: dataDir, AUDIT_HMAC_KEY: 'k'.repeat(32) }))).toBe('k'.repeat(32));
  });
});
