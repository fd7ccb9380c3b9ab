import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig, readAuditHmacKey } from './app-config';

describe('loadConfig', () => {
  it('runs on embedded defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.redisUrl).toBeUndefined();
    expect(config.dataDir).toMatch(/\.data$/);
    expect(config.shutdownTimeoutMs).toBe(30_000);
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
    [{ CORS_ORIGINS: 'https://a.cn/path' }, 'CORS_ORIGINS: "https://a.cn/path" is not an origin like https://example.cn (no path)'],
  ])('rejects %j with a message naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(new ConfigError(message.split(':')[0], message.slice(message.indexOf(':') + 2)));
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
