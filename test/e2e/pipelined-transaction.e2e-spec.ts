import { Socket } from 'node:net';
import { DataSource } from 'typeorm';
import { type PreparedStatement, combineWrites, cteStatement, dataSourceOptions, inPipelinedTransaction, runPrepared } from '@app/database';
import { type TestDatabase, createTestDatabase } from '../support/database';

const INSERT: PreparedStatement = {
  name: 'test.pipelined_insert',
  text: 'INSERT INTO pipelined_probe (id, note) VALUES ($1, $2) RETURNING id',
};

const INSERT_CTE = cteStatement('test.pipelined_insert_cte', {
  ctes: `{i} AS (INSERT INTO pipelined_probe (id, note) VALUES ($1, $2) RETURNING id)`,
  results: { id: '(SELECT id FROM {i})' },
});

describe('inPipelinedTransaction (the transition write path)', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await new DataSource({ ...dataSourceOptions(database.url, 4), migrations: [] }).initialize();
    await dataSource.query('CREATE TABLE pipelined_probe (id int PRIMARY KEY, note text NOT NULL)');
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  beforeEach(() => dataSource.query('TRUNCATE pipelined_probe'));

  const count = async (): Promise<number> => Number((await dataSource.query('SELECT count(*)::int AS n FROM pipelined_probe'))[0].n);

  it('commits reads, awaited writes, TypeORM calls and deferred writes together, at READ COMMITTED', async () => {
    const result = await inPipelinedTransaction(dataSource, async (manager, defer) => {
      const level = await manager.query('SHOW transaction_isolation');
      const inserted = await runPrepared<{ id: number }>(manager, INSERT, [1, 'awaited']);
      await manager.query('INSERT INTO pipelined_probe (id, note) VALUES (2, $1)', ['through TypeORM']);
      defer({ statement: INSERT, values: [3, 'sent with the COMMIT'] });
      defer(runPrepared(manager, INSERT, [4, 'deferred promise']));
      return { level: level[0].transaction_isolation as string, first: inserted.rows[0].id };
    });
    expect(result).toEqual({ level: 'read committed', first: 1 });
    expect(await count()).toBe(4);
  });

  it('rolls everything back when a write sent with the COMMIT fails, and throws that write’s error', async () => {
    await expect(
      inPipelinedTransaction(dataSource, async (manager, defer) => {
        await runPrepared(manager, INSERT, [1, 'first']);
        defer({ statement: INSERT, values: [2, 'fine'] });
        defer({ statement: INSERT, values: [1, 'duplicate key'] });
        defer({ statement: INSERT, values: [3, 'after the failure'] });
      }),
    ).rejects.toMatchObject({ code: '23505' });
    expect(await count()).toBe(0);
  });

  it('rolls everything back when a deferred promise fails', async () => {
    await expect(
      inPipelinedTransaction(dataSource, async (manager, defer) => {
        defer({ statement: INSERT, values: [1, 'sent'] });
        defer(runPrepared(manager, INSERT, [1, 'duplicate key']));
      }),
    ).rejects.toMatchObject({ code: '23505' });
    expect(await count()).toBe(0);
  });

  it('rolls back when the work throws after deferring writes', async () => {
    await expect(
      inPipelinedTransaction(dataSource, async (manager, defer) => {
        defer(runPrepared(manager, INSERT, [1, 'deferred']));
        throw new Error('refused by a rule');
      }),
    ).rejects.toThrow('refused by a rule');
    expect(await count()).toBe(0);
  });

  it('refuses a statement issued after the transaction ended instead of running it outside', async () => {
    let late: Promise<unknown> | undefined;
    await inPipelinedTransaction(dataSource, async (manager) => {
      await runPrepared(manager, INSERT, [1, 'in time']);
      late = new Promise((resolve) => setTimeout(resolve, 20)).then(() => runPrepared(manager, INSERT, [2, 'too late']));
    });
    await expect(late).rejects.toThrow(/issued after its transaction ended/);
    expect(await count()).toBe(1);
  });

  it('keeps a deferred write that starts late (after an await) inside the transaction', async () => {
    await dataSource.query(`INSERT INTO pipelined_probe (id, note) VALUES (1, '0')`);
    const bump = (): Promise<void> =>
      inPipelinedTransaction(dataSource, async (manager, defer) => {
        const rows: { note: string }[] = await manager.query('SELECT note FROM pipelined_probe WHERE id = 1 FOR UPDATE');
        defer(manager.query('UPDATE pipelined_probe SET note = $1 WHERE id = 1', [String(Number(rows[0].note) + 1)]));
      });
    await Promise.all(Array.from({ length: 20 }, bump));
    expect((await dataSource.query('SELECT note FROM pipelined_probe WHERE id = 1'))[0].note).toBe('20');
  });

  it('sends each round trip in one socket write: BEGIN with the first reads, the writes with COMMIT', async () => {
    const transaction = (first: number): Promise<void> =>
      inPipelinedTransaction(dataSource, async (manager, defer) => {
        const a = runPrepared(manager, INSERT, [first, 'read 1']);
        const b = manager.query('SELECT count(*) FROM pipelined_probe');
        await Promise.all([a, b]);
        for (let id = first + 1; id <= first + 3; id++) defer({ statement: INSERT, values: [id, 'sent with the COMMIT'] });
      });
    await transaction(1); // the pool's connection is open and the statement prepared before counting
    // Node calls a socket's _write or _writev once per write it hands to the kernel.
    const socket = Socket.prototype as unknown as Record<'_write' | '_writev', (...args: unknown[]) => void>;
    const single = jest.spyOn(socket, '_write');
    const vector = jest.spyOn(socket, '_writev');
    let writes: number;
    try {
      await transaction(11);
      writes = single.mock.calls.length + vector.mock.calls.length;
    } finally {
      single.mockRestore();
      vector.mockRestore();
    }
    expect(writes).toBe(2);
    expect(await count()).toBe(8);
  });

  it('combines CTE writes into one statement, each with its own parameters and names', async () => {
    const write = combineWrites([
      { statement: INSERT_CTE, values: [1, 'first'] },
      { statement: INSERT_CTE, values: [2, 'second'] },
      { statement: INSERT_CTE, values: [3, 'third'] },
    ]);
    expect(Buffer.byteLength(write.statement.name)).toBeLessThanOrEqual(63); // PostgreSQL's limit for a statement name
    const { rows } = await runPrepared(dataSource.manager, write.statement, write.values);
    expect(rows).toEqual([{ w0_id: 1, w1_id: 2, w2_id: 3 }]);
    expect((await dataSource.query('SELECT id, note FROM pipelined_probe ORDER BY id')).map((r: { note: string }) => r.note)).toEqual([
      'first',
      'second',
      'third',
    ]);
    expect(() =>
      combineWrites([
        { statement: INSERT, values: [4, 'plain'] },
        { statement: INSERT_CTE, values: [5, 'cte'] },
      ]),
    ).toThrow(/not a CTE statement/);
    expect(() =>
      combineWrites([
        { statement: INSERT_CTE, values: [4] },
        { statement: INSERT_CTE, values: [5, 'cte'] },
      ]),
    ).toThrow(/takes 2 values, not 1/);
    expect(await count()).toBe(3);
  });
});
