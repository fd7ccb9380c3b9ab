import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export type NodeEnv = 'development' | 'test' | 'production';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** The whole typed environment. Built once at boot by `loadConfig()`; nothing else reads process.env. */
export interface AppConfig {
  nodeEnv: NodeEnv;
  host: string;
  port: number;
  /** Unset in embedded mode until the standalone app has started its own PostgreSQL. */
  databaseUrl: string | undefined;
  databasePoolSize: number;
  /** Set: BullMQ on Redis. Unset: BullMQ on its PostgreSQL backend in the same database. */
  redisUrl: string | undefined;
  queuePrefix: string;
  smtpUrl: string | undefined;
  mailFrom: string;
  bureauNameZh: string;
  bureauNameEn: string;
  jwtSecret: string;
  dataDir: string;
  publicBaseUrl: string;
  corsOrigins: string[];
  logLevel: LogLevel;
  bodyLimitBytes: number;
  /** Largest dossier attachment accepted; uploads stream to disk, so this bounds disk, not memory. */
  attachmentMaxBytes: number;
  embeddedPostgresPort: number;
  mailCatcherSmtpPort: number;
  mailCatcherWebPort: number;
  /** First retry delay of a transiently failed email; doubles each attempt. */
  mailRetryBaseMs: number;
  /** Attempts before a transiently failing email is dead-lettered. */
  mailMaxAttempts: number;
  /** The pause between the relay's sweeps for deliveries and timers whose job went missing (queue store lost). */
  relaySweepMs: number;
  /** A delivery or timer untouched this long is checked against the queue by the sweep. */
  relayStaleMs: number;
  /** Timers are handed to the queue this long before they fire; until then they are rows only. */
  relayHorizonMs: number;
  /** After SIGTERM or SIGINT, the API and worker processes exit with code 1 if closing takes longer than this. */
  shutdownTimeoutMs: number;
  /** First administrator, created at start-up when no admin exists yet (both set or neither). */
  adminEmail: string | undefined;
  adminPassword: string | undefined;
  /** Shared password of the demo accounts seeded in embedded mode. */
  demoPassword: string;
  /** AUDIT_HMAC_KEY; unset outside production, where readAuditHmacKey() keeps a random key in DATA_DIR. */
  auditHmacKey: string | undefined;
  // --- Identity hardening (issue 12: proxies, JWT secret) ---
  /**
   * Which peers may set X-Forwarded-For (Fastify's trustProxy): false trusts none (the socket's
   * address is the client), a number trusts that many hops, a list trusts those addresses/CIDRs.
   */
  trustProxy: false | number | string[];
  /** Where jwtSecret came from: JWT_SECRET, a random secret kept in DATA_DIR, or per test process. */
  jwtSecretSource: 'env' | 'data_dir' | 'test';
  // Operations: readiness, worker health, delivery leases.
  /** The API is not ready when the data disk (DATA_DIR) has less free space than this. */
  diskMinFreeBytes: number;
  /** Where the worker writes its health, read by `main.js --ready` (an exec probe); one per worker. */
  workerHealthFile: string;
  /** How often the worker checks its database, queue and SMTP and writes its heartbeat. */
  workerHealthIntervalMs: number;
  /** A `sending` delivery untouched this long is presumed abandoned by a dead worker and sent again. */
  mailLeaseMs: number;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly problem: string,
  ) {
    super(`${variable}: ${problem}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const DEV_JWT_SECRET = 'ouflow-development-secret-do-not-use-in-production';
/** Tests get a random secret per process: nothing to leak, nothing written to disk. */
const TEST_JWT_SECRET = randomBytes(32).toString('base64url');
export const JWT_SECRET_FILE = 'jwt-secret';
const PROXY_KEYWORDS = ['loopback', 'linklocal', 'uniquelocal'];
const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const NODE_ENVS: readonly NodeEnv[] = ['development', 'test', 'production'];

function read(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const value = read(env, name) ?? fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new ConfigError(name, `must be one of ${allowed.join(', ')}, got "${value}"`);
  }
  return value as T;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function url(env: Env, name: string, protocols: readonly string[]): string | undefined {
  const raw = read(env, name);
  if (raw === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `must start with ${protocols.map((p) => `${p}//`).join(' or ')}, got "${parsed.protocol}//"`);
  }
  if (!parsed.hostname) throw new ConfigError(name, 'has no host name');
  return raw;
}

/** Reads and validates the environment. Throws a ConfigError naming the first bad variable. */
export function loadConfig(env: Env = process.env): AppConfig {
  const nodeEnv = oneOf(env, 'NODE_ENV', NODE_ENVS, 'development');
  const port = integer(env, 'PORT', 3000, 1, 65535);
  const dataDir = resolve(read(env, 'DATA_DIR') ?? './.data');
  const configuredSecret = read(env, 'JWT_SECRET');
  if (configuredSecret === undefined && nodeEnv === 'production')
    throw new ConfigError('JWT_SECRET', 'is required when NODE_ENV=production');
  if (configuredSecret !== undefined && configuredSecret.length < 32)
    throw new ConfigError('JWT_SECRET', 'must be at least 32 characters long');
  if (nodeEnv === 'production' && configuredSecret === DEV_JWT_SECRET) {
    throw new ConfigError('JWT_SECRET', 'must not be the development default when NODE_ENV=production');
  }
  const jwtSecretSource = configuredSecret !== undefined ? 'env' : nodeEnv === 'test' ? 'test' : 'data_dir';
  const jwtSecret = configuredSecret ?? (nodeEnv === 'test' ? TEST_JWT_SECRET : dataDirJwtSecret(dataDir));
  const publicBaseUrl = url(env, 'PUBLIC_BASE_URL', ['http:', 'https:']) ?? `http://localhost:${port}`;
  const corsOrigins = (read(env, 'CORS_ORIGINS') ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin.length > 0);
  for (const origin of corsOrigins) {
    if (!/^https?:\/\/[^/\s]+$/.test(origin)) {
      throw new ConfigError('CORS_ORIGINS', `"${origin}" is not an origin like https://example.cn (no path)`);
    }
  }
  const mailFrom = read(env, 'MAIL_FROM') ?? 'Ouflow 温州市科学技术局 <noreply@ouflow.local>';
  if (!/<[^<>@\s]+@[^<>@\s]+>$|^[^<>@\s]+@[^<>@\s]+$/.test(mailFrom)) {
    throw new ConfigError('MAIL_FROM', 'must be an address like "Name <noreply@example.cn>"');
  }
  const adminEmail = read(env, 'ADMIN_EMAIL')?.toLowerCase();
  const adminPassword = read(env, 'ADMIN_PASSWORD');
  if (adminEmail !== undefined && !/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(adminEmail)) {
    throw new ConfigError('ADMIN_EMAIL', `must be an email address, got "${adminEmail}"`);
  }
  if ((adminEmail === undefined) !== (adminPassword === undefined)) {
    throw new ConfigError(
      adminEmail === undefined ? 'ADMIN_EMAIL' : 'ADMIN_PASSWORD',
      'must be set together with the other (ADMIN_EMAIL and ADMIN_PASSWORD)',
    );
  }
  if (adminPassword !== undefined && adminPassword.length < 12)
    throw new ConfigError('ADMIN_PASSWORD', 'must be at least 12 characters long');
  const demoPassword = read(env, 'DEMO_PASSWORD') ?? 'Ouflow-Demo-2027!';
  if (demoPassword.length < 12) throw new ConfigError('DEMO_PASSWORD', 'must be at least 12 characters long');
  const auditHmacKey = readAuditHmacKeyVariable(env, nodeEnv);
  const attachmentMaxBytes = integer(env, 'ATTACHMENT_MAX_BYTES', 20 * 1_048_576, 1024, 1024 * 1_048_576);
  return {
    nodeEnv,
    host: read(env, 'HOST') ?? '0.0.0.0',
    port,
    databaseUrl: url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']),
    databasePoolSize: integer(env, 'DATABASE_POOL_SIZE', 10, 1, 200),
    redisUrl: url(env, 'REDIS_URL', ['redis:', 'rediss:']),
    queuePrefix: read(env, 'QUEUE_PREFIX') ?? 'ouflow',
    smtpUrl: url(env, 'SMTP_URL', ['smtp:', 'smtps:']),
    mailFrom,
    bureauNameZh: read(env, 'BUREAU_NAME_ZH') ?? '温州市科学技术局',
    bureauNameEn: read(env, 'BUREAU_NAME_EN') ?? 'Wenzhou Science and Technology Bureau',
    jwtSecret,
    dataDir,
    publicBaseUrl: publicBaseUrl.replace(/\/+$/, ''),
    corsOrigins,
    logLevel: oneOf(env, 'LOG_LEVEL', LOG_LEVELS, nodeEnv === 'test' ? 'warn' : 'info'),
    bodyLimitBytes: integer(env, 'BODY_LIMIT_BYTES', 1_048_576, 1024, 100 * 1_048_576),
    attachmentMaxBytes,
    embeddedPostgresPort: integer(env, 'EMBEDDED_PG_PORT', 54329, 1, 65535),
    mailCatcherSmtpPort: integer(env, 'MAIL_CATCHER_SMTP_PORT', 1025, 1, 65535),
    mailCatcherWebPort: integer(env, 'MAIL_CATCHER_WEB_PORT', 1080, 1, 65535),
    mailRetryBaseMs: integer(env, 'MAIL_RETRY_BASE_MS', 10_000, 10, 3_600_000),
    mailMaxAttempts: integer(env, 'MAIL_MAX_ATTEMPTS', 8, 1, 50),
    relaySweepMs: integer(env, 'RELAY_SWEEP_MS', 30_000, 100, 3_600_000),
    relayStaleMs: integer(env, 'RELAY_STALE_MS', 120_000, 100, 86_400_000),
    relayHorizonMs: integer(env, 'RELAY_HORIZON_MS', 600_000, 0, 86_400_000),
    shutdownTimeoutMs: integer(env, 'SHUTDOWN_TIMEOUT_MS', 30_000, 1_000, 600_000),
    adminEmail,
    adminPassword,
    demoPassword,
    auditHmacKey,
    trustProxy: trustProxy(read(env, 'TRUST_PROXY')),
    jwtSecretSource,
    // Operations: room for a few of the largest uploads; a worker's health file of its own (one per container).
    diskMinFreeBytes: integer(env, 'DISK_MIN_FREE_BYTES', 5 * attachmentMaxBytes, 0, Number.MAX_SAFE_INTEGER),
    workerHealthFile: resolve(read(env, 'WORKER_HEALTH_FILE') ?? join(tmpdir(), 'ouflow-worker-health.json')),
    workerHealthIntervalMs: integer(env, 'WORKER_HEALTH_INTERVAL_MS', 5_000, 100, 300_000),
    mailLeaseMs: integer(env, 'MAIL_LEASE_MS', 20_000, 1_000, 3_600_000),
  };
}

// --- Audit chain key (AUDIT_HMAC_KEY) -----------------------------------------------------------
// The audit chain's MACs use a key the database does not hold. Production must set it (like
// JWT_SECRET); elsewhere a random key is generated on first start and kept in DATA_DIR.

const AUDIT_KEY_MIN_LENGTH = 32;
export const AUDIT_HMAC_KEY_FILE = 'audit-hmac.key';

function readAuditHmacKeyVariable(env: Env, nodeEnv: NodeEnv): string | undefined {
  const key = read(env, 'AUDIT_HMAC_KEY');
  if (key === undefined && nodeEnv === 'production') throw new ConfigError('AUDIT_HMAC_KEY', 'is required when NODE_ENV=production');
  if (key !== undefined && key.length < AUDIT_KEY_MIN_LENGTH)
    throw new ConfigError('AUDIT_HMAC_KEY', `must be at least ${AUDIT_KEY_MIN_LENGTH} characters long`);
  return key;
}

/** The audit key: AUDIT_HMAC_KEY, or the one kept in DATA_DIR/audit-hmac.key (created with mode 0600 on first use). */
export function readAuditHmacKey(config: Pick<AppConfig, 'auditHmacKey' | 'dataDir'>): string {
  if (config.auditHmacKey !== undefined) return config.auditHmacKey;
  const file = join(config.dataDir, AUDIT_HMAC_KEY_FILE);
  const stored = readKeyFile(file);
  if (stored !== undefined) return stored;
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  try {
    writeFileSync(file, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // Another process of the same DATA_DIR wrote it first: both use that one.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const created = readKeyFile(file);
  if (created === undefined) throw new ConfigError('AUDIT_HMAC_KEY', `${file} could not be created`);
  return created;
}

function readKeyFile(file: string): string | undefined {
  let key: string;
  try {
    key = readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  if (key.length < AUDIT_KEY_MIN_LENGTH)
    throw new ConfigError('AUDIT_HMAC_KEY', `${file} must hold at least ${AUDIT_KEY_MIN_LENGTH} characters`);
  return key;
}

/**
 * TRUST_PROXY: unset or "none" trusts no forwarded header; a whole number trusts that many proxy
 * hops; otherwise a comma-separated list of IPs, CIDRs or proxy-addr's names (loopback, linklocal,
 * uniquelocal). "true" is refused: trusting every peer lets any client choose its own IP.
 */
function trustProxy(raw: string | undefined): false | number | string[] {
  if (raw === undefined || raw.toLowerCase() === 'none' || raw.toLowerCase() === 'false') return false;
  if (/^\d+$/.test(raw)) {
    const hops = Number(raw);
    if (hops < 1 || hops > 10) throw new ConfigError('TRUST_PROXY', `hop count must be between 1 and 10, got ${hops}`);
    return hops;
  }
  if (raw.toLowerCase() === 'true' || raw === '*') {
    throw new ConfigError(
      'TRUST_PROXY',
      'must name the proxies (IPs, CIDRs or a hop count); trusting every peer lets clients forge their IP',
    );
  }
  const entries = raw
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  for (const entry of entries) {
    if (PROXY_KEYWORDS.includes(entry)) continue;
    const [address, prefix, extra] = entry.split('/');
    const family = isIP(address ?? '');
    const maxPrefix = family === 6 ? 128 : 32;
    const prefixOk = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= maxPrefix);
    if (family === 0 || !prefixOk || extra !== undefined) {
      throw new ConfigError(
        'TRUST_PROXY',
        `"${entry}" is not an IP address, a CIDR like 10.0.0.0/8, or one of ${PROXY_KEYWORDS.join(', ')}`,
      );
    }
  }
  return entries;
}

/**
 * TRUST_PROXY as Fastify's `trustProxy` option (default: trust none). A hop count becomes
 * proxy-addr's own rule for numbers, "the n nearest hops", which Nest's adapter type lacks.
 */
export function fastifyTrustProxy(value: AppConfig['trustProxy']): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof value !== 'number') return value;
  return (_address, hop) => hop < value;
}

/**
 * The development JWT secret: random, made on first start and kept in DATA_DIR (mode 0600), so
 * tokens survive a restart and no two installations share one. Written to a temporary file and
 * linked into place, so an API and a worker starting together on one DATA_DIR read the same secret.
 */
export function dataDirJwtSecret(dataDir: string): string {
  const path = join(dataDir, JWT_SECRET_FILE);
  try {
    if (existsSync(path)) return readSecret(path);
    mkdirSync(dataDir, { recursive: true });
    const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
    writeFileSync(temporary, `${randomBytes(48).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
    try {
      linkSync(temporary, path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      unlinkSync(temporary);
    }
  } catch (error) {
    throw new ConfigError('JWT_SECRET', `is unset and ${path} cannot be created: ${String(error)}`);
  }
  return readSecret(path);
}

function readSecret(path: string): string {
  const secret = readFileSync(path, 'utf8').trim();
  if (secret.length < 32) throw new ConfigError('JWT_SECRET', `${path} holds fewer than 32 characters; delete it to make a new one`);
  return secret;
}

/** Boots a process: loads the config or prints one line and exits non-zero. */
export function loadConfigOrExit(env: Env = process.env): AppConfig {
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Invalid configuration: ${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
}

/** The URL as it may be shown in logs: password removed. */
export function redactUrl(value: string): string {
  try {
    const parsed = new URL(value);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<invalid url>';
  }
}
