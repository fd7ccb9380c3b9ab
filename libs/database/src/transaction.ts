import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';

/**
 * Runs `work` in one READ COMMITTED transaction; everything it writes commits or rolls back together.
 * The level is the session default set at connect (dataSourceOptions), so BEGIN is one round trip.
 * Inside `RequestTransaction.run` it joins that transaction instead, in a savepoint: the work's
 * writes still roll back alone if it fails, and commit when the request's transaction does.
 */
export async function inTransaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  const request = requestTransactions.getStore();
  if (!request?.serves(dataSource)) return dataSource.transaction(work);
  // On a manager bound to a runner already in a transaction, TypeORM opens a savepoint.
  return (await request.manager()).transaction(work);
}

const requestTransactions = new AsyncLocalStorage<RequestTransaction>();

/**
 * One transaction for a whole request, so that something written alongside the request's writes
 * (an Idempotency-Key and its answer) commits with them or not at all: if the process or the
 * database dies first, PostgreSQL rolls everything back together. It begins at the first
 * `inTransaction` inside `run` (a request that streams a file or reads first holds no connection
 * meanwhile) with `onBegin`; every `inTransaction` inside `run` joins it; its owner ends it with
 * `end`. Writes made another way (`dataSource.transaction`, `dataSource.manager`) stay outside it.
 */
export class RequestTransaction {
  private beginning: Promise<QueryRunner> | undefined;
  private ended = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly onBegin: (manager: EntityManager) => Promise<void>,
  ) {}

  /** Runs `work` so that the `inTransaction` calls it makes (however deep) join this transaction. */
  run<T>(work: () => T): T {
    return requestTransactions.run(this, work);
  }

  /** False once ended: work a request left running past its end gets a transaction of its own. */
  serves(dataSource: DataSource): boolean {
    return dataSource === this.dataSource && !this.ended;
  }

  /** The transaction's manager; the first call begins it and runs `onBegin`. */
  async manager(): Promise<EntityManager> {
    this.beginning ??= this.begin();
    return (await this.beginning).manager;
  }

  /** Commits (or rolls back) what the request wrote and returns the connection; nothing to do if it never began. */
  async end(commit: boolean): Promise<void> {
    this.ended = true;
    const runner = await this.beginning?.catch(() => undefined);
    if (!runner) return;
    try {
      if (commit) await runner.commitTransaction();
      else await runner.rollbackTransaction();
    } finally {
      await runner.release();
    }
  }

  private async begin(): Promise<QueryRunner> {
    const runner = this.dataSource.createQueryRunner();
    try {
      await runner.startTransaction();
      await this.onBegin(runner.manager);
      return runner;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      await runner.release();
      throw error;
    }
  }
}

/** True when a PostgreSQL error is a unique-constraint violation. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === '23505';
}

/** A statement prepared once per connection: PostgreSQL parses and plans it once, not on every call. */
export interface PreparedStatement {
  /** Unique across the application; one name, one text. */
  readonly name: string;
  readonly text: string;
  /** Set for statements made by `cteStatement`: they can share one statement with others (`combineWrites`). */
  readonly cte?: CteParts;
}

/**
 * A write statement as common table expressions, so that several can travel as one statement:
 * `ctes` uses its own `$1, $2 ...` parameters and writes its CTE names as `{name}`; `results` are
 * the expressions the statement returns (scalar subqueries over its CTEs), by column name. Both are
 * renumbered and renamed as text, so neither may hold `$<digits>` or `{<word>}` inside a literal.
 */
export interface CteParts {
  readonly ctes: string;
  readonly results: Readonly<Record<string, string>>;
}

/** The statement of `parts` on its own: `WITH <ctes> SELECT <results>`. */
export function cteStatement(name: string, parts: CteParts): PreparedStatement {
  return { name, text: cteText([parts], (_index, local) => local), cte: parts };
}

function cteText(parts: CteParts[], rename: (index: number, local: string) => string): string {
  const ctes: string[] = [];
  const results: string[] = [];
  let offset = 0;
  parts.forEach((part, index) => {
    const localize = (sql: string): string =>
      sql
        .replace(/\{(\w+)\}/g, (_match, local: string) => rename(index, local))
        .replace(/\$(\d+)/g, (_match, n: string) => `$${Number(n) + offset}`);
    ctes.push(localize(part.ctes));
    for (const [column, expression] of Object.entries(part.results)) results.push(`${localize(expression)} AS "${rename(index, column)}"`);
    offset += parameterCount(part);
  });
  return `WITH ${ctes.join(',\n')}\nSELECT ${results.length > 0 ? results.join(', ') : 'NULL AS done'}`;
}

const parameterCounts = new WeakMap<CteParts, number>();

/** The highest `$n` a part uses. */
function parameterCount(part: CteParts): number {
  let count = parameterCounts.get(part);
  if (count === undefined) {
    count = 0;
    for (const sql of [part.ctes, ...Object.values(part.results)])
      for (const match of sql.matchAll(/\$(\d+)/g)) count = Math.max(count, Number(match[1]));
    parameterCounts.set(part, count);
  }
  return count;
}

const combined = new Map<string, PreparedStatement>();

/**
 * Several writes as one statement (their CTEs side by side, names and parameters renumbered), so a
 * transaction's writes cost PostgreSQL one statement and one answer instead of one each. They run on
 * one snapshot and cannot see each other's rows, so combine only writes that do not read what another
 * one writes. Each statement must come from `cteStatement`.
 */
export function combineWrites(writes: Write[]): Write {
  if (writes.length === 1) return writes[0];
  const key = writes.map((write) => write.statement.name).join('+');
  const parts = writes.map((write) => {
    const part = write.statement.cte;
    if (!part) throw new Error(`${write.statement.name} is not a CTE statement and cannot be combined`);
    if (write.values.length !== parameterCount(part))
      throw new Error(`${write.statement.name} takes ${parameterCount(part)} values, not ${write.values.length}`);
    return part;
  });
  let statement = combined.get(key);
  if (!statement) {
    // PostgreSQL keeps 63 bytes of a statement's name: a digest keeps long combinations apart.
    const name = `combined.${createHash('sha256').update(key).digest('hex').slice(0, 24)}`;
    statement = { name, text: cteText(parts, (index, local) => `w${index}_${local}`) };
    combined.set(key, statement);
  }
  return { statement, values: writes.flatMap((write) => write.values) };
}

interface PgResult {
  rows: unknown[];
  rowCount: number | null;
  command: string;
}

interface PgClientLike {
  query(config: { name: string; text: string; values: unknown[] } | string): Promise<PgResult>;
  /** node-postgres's connection; its socket is a Node stream (cork/uncork are stream API). */
  connection?: { stream?: { cork?: () => void; uncork?: () => void } };
}

/**
 * Holds what is written to the client's socket until `release` is called or, at the latest, the end
 * of this turn of the event loop, then sends it in one write. Each write wakes the PostgreSQL backend
 * (and costs a system call that is expensive on virtual machines): a trip of five statements sent
 * as five writes costs five wake-ups, sent as one it costs one. A query awaited meanwhile is delayed
 * to the end of the turn at most, never held. Returns `release` (idempotent).
 */
function holdWrites(client: PgClientLike): () => void {
  const stream = client.connection?.stream;
  if (!stream?.cork || !stream.uncork) return () => undefined;
  const uncork = stream.uncork.bind(stream);
  let held = true;
  stream.cork();
  const release = (): void => {
    if (!held) return;
    held = false;
    clearImmediate(timer);
    uncork();
  };
  const timer = setImmediate(release);
  return release;
}

/** TypeORM's Postgres query runner, as far as a pipelined transaction needs it. */
interface PostgresRunner extends QueryRunner {
  databaseConnection?: PgClientLike;
  isTransactionActive: boolean;
  transactionDepth: number;
}

/** Runners whose COMMIT or ROLLBACK has been sent: a statement issued after it would run outside the transaction. */
const finished = new WeakSet<QueryRunner>();

/**
 * Runs a prepared statement on the connection of `manager`'s transaction, straight through the pg
 * client: the hot write paths skip TypeORM's query wrapping, and PostgreSQL its parse and plan. On
 * a connected runner the statement is written at once (before this function returns), so a
 * pipelined transaction can send several statements and its COMMIT together.
 * Outside a transaction it borrows a connection from the pool for the one statement.
 */
export function runPrepared<T>(
  manager: EntityManager,
  statement: PreparedStatement,
  values: unknown[],
): Promise<{ rows: T[]; rowCount: number }> {
  const runner = manager.queryRunner as PostgresRunner | undefined;
  if (runner && finished.has(runner)) {
    return Promise.reject(new Error(`${statement.name} was issued after its transaction ended`));
  }
  const client = runner && !runner.isReleased ? runner.databaseConnection : undefined;
  if (client) return client.query({ name: statement.name, text: statement.text, values }).then(rowsOf<T>);
  return runBorrowed<T>(manager, statement, values);
}

async function runBorrowed<T>(
  manager: EntityManager,
  statement: PreparedStatement,
  values: unknown[],
): Promise<{ rows: T[]; rowCount: number }> {
  const owned = !manager.queryRunner || manager.queryRunner.isReleased;
  const runner = owned ? manager.connection.createQueryRunner() : manager.queryRunner!;
  try {
    const client = (await runner.connect()) as PgClientLike;
    return rowsOf<T>(await client.query({ name: statement.name, text: statement.text, values }));
  } finally {
    if (owned) await runner.release();
  }
}

function rowsOf<T>(result: PgResult): { rows: T[]; rowCount: number } {
  return { rows: result.rows as T[], rowCount: result.rowCount ?? 0 };
}

/** One prepared statement with its values, to be sent by whoever runs the transaction. */
export interface Write {
  readonly statement: PreparedStatement;
  readonly values: unknown[];
}

/**
 * Hands over a write the work does not wait on. A `Write` is sent at once and lets COMMIT travel in
 * the same round trip; a promise (a write started some other way) is waited for before COMMIT.
 */
export type Defer = (write: Write | Promise<unknown>) => void;

/**
 * A transaction in two round trips when its work allows: BEGIN travels with the first statement,
 * and COMMIT with the writes handed to `defer` (the connection pipelines them; see the `pipeline`
 * option in dataSourceOptions). Only writes the transaction sent itself (`Write`s) ride with the
 * COMMIT: if a promise was deferred, COMMIT waits until it settled, so a write that starts late
 * (after an await) is still inside the transaction. If any statement fails, the transaction rolls
 * back (PostgreSQL answers a COMMIT after a failure with ROLLBACK) and the first error is thrown.
 * A statement issued after the end (a leaked promise) fails instead of running outside. TypeORM
 * calls made through the manager see an active transaction and do not open their own.
 */
export async function inPipelinedTransaction<T>(
  dataSource: DataSource,
  work: (manager: EntityManager, defer: Defer) => Promise<T>,
): Promise<T> {
  const runner = dataSource.createQueryRunner() as PostgresRunner;
  const client = (await runner.connect()) as PgClientLike;
  // First trip: BEGIN and whatever the work sends in this turn of the event loop leave in one write.
  holdWrites(client);
  const pending: Promise<unknown>[] = [client.query('BEGIN')];
  let onlySentWrites = true;
  // Second trip: the sent writes and COMMIT leave in one write.
  let releaseWrites: (() => void) | undefined;
  const defer: Defer = (write) => {
    let promise: Promise<unknown>;
    if (write instanceof Promise) {
      onlySentWrites = false;
      promise = write;
    } else {
      releaseWrites ??= holdWrites(client);
      promise = runPrepared(runner.manager, write.statement, write.values);
    }
    // Observed here so an early failure is not an unhandled rejection; awaited below.
    promise.catch(() => undefined);
    pending.push(promise);
  };
  runner.isTransactionActive = true;
  runner.transactionDepth = 1;
  try {
    let result: T;
    try {
      result = await work(runner.manager, defer);
    } catch (error) {
      finished.add(runner);
      releaseWrites?.();
      await Promise.allSettled(pending);
      // The work's error is what the caller needs; a failed ROLLBACK (a broken connection) ends the transaction anyway.
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
    // Every statement of the transaction is on the wire when only sent writes are pending.
    if (!onlySentWrites) await Promise.allSettled(pending);
    finished.add(runner);
    const commit = client.query('COMMIT');
    releaseWrites?.();
    const settled = await Promise.allSettled([...pending, commit]);
    const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failure) {
      // The COMMIT after a failed statement was answered with ROLLBACK; if the COMMIT itself failed, so did the transaction.
      throw failure.reason;
    }
    const { command } = (settled[settled.length - 1] as PromiseFulfilledResult<PgResult>).value;
    if (command !== 'COMMIT') throw new Error(`the transaction ended with ${command}, not COMMIT`);
    return result;
  } finally {
    runner.isTransactionActive = false;
    runner.transactionDepth = 0;
    await runner.release();
  }
}
