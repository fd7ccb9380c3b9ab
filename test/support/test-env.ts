/** Variables the global setup hands to every test worker. */
export const TEST_ENV = {
  /** A superuser URL of the test server (any database). */
  adminUrl: 'OUFLOW_TEST_ADMIN_URL',
  /** Name of the template database holding the migrated schema. */
  template: 'OUFLOW_TEST_TEMPLATE',
  /** Set when the global setup started an embedded PostgreSQL: its data directory. */
  embeddedDir: 'OUFLOW_TEST_EMBEDDED_DIR',
} as const;

export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests through jest (npm test) so the global setup runs`);
  return value;
}

/** The URL of another database on the same server. */
export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** The audit chain's key in every process of the app under test (the CLI under test included). */
export const TEST_AUDIT_HMAC_KEY = 'ouflow-test-audit-hmac-key-0123456789abcdef';
/** One signing key for every process of a test, as replicas share JWT_SECRET in production (a token outlives a restarted API). */
export const TEST_JWT_SECRET = 'ouflow-test-jwt-secret-0123456789abcdef0123';
