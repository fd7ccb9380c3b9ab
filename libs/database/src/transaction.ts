import { AsyncLocalStorage } from 'node:async_hooks';
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
