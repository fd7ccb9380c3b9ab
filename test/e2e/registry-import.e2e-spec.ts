import ExcelJS from 'exceljs';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { completeCreditCode } from '@app/identity';
import { deflatedZip, xlsxBomb, xlsxParts } from '../../libs/applications/src/attachments/testing/sample-files';
import { type TestApp, startTestApp } from '../support/app';
import { signIn } from '../support/registry-fixtures';

const HEADER = [
  '平台名称',
  '类型',
  '级别',
  '子类型',
  '依托单位',
  '统一社会信用代码',
  '所在地区',
  '产业领域',
  '认定日期',
  '认定文号',
  '专业运营机构',
];
const TYPES = ['新型研发机构', 'incubator', '众创空间', 'key_lab'];
const LEVELS = ['市级', 'provincial', '市级', '省级'];
const REGIONS = ['鹿城区', 'ruian', '温州湾新区', '泰顺县', 'yueqing'];
const INDUSTRIES = ['电气', 'emerg.digital', '生命健康、新材料', 'trad.pump_valve'];

type Row = (string | Date)[];

function goodRow(i: number): Row {
  const year = 2015 + (i % 11);
  const recognised: string | Date =
    i % 2 === 0
      ? new Date(Date.UTC(year, i % 12, (i % 28) + 1))
      : `${year}-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`;
  return [
    `基线平台${i}`,
    TYPES[i % 4],
    LEVELS[i % 4],
    '',
    `基线依托单位${i}`,
    i % 3 === 0 ? completeCreditCode(`91330302MA2H${String(i).padStart(5, '0')}`) : '',
    REGIONS[i % 5],
    INDUSTRIES[i % 4],
    recognised,
    `温科发〔${year}〕${i}号`,
    i % 4 === 1 ? '是' : '否',
  ];
}

/** Row number in the sheet (header is row 1) -> a broken version of that row and the problem it must produce. */
const BROKEN: Record<number, { edit: (row: Row) => void; field: string; code: string }> = {
  10: { edit: (r) => (r[1] = '实验室X'), field: 'type', code: 'unknown_type' },
  200: { edit: (r) => ((r[1] = '新型研发机构'), (r[2] = '国家级')), field: 'level', code: 'level_not_allowed' },
  450: { edit: (r) => (r[6] = '杭州市'), field: 'regionCode', code: 'unknown_region' },
  800: { edit: (r) => (r[7] = '电气、造船'), field: 'industries', code: 'unknown_industry' },
  1200: { edit: (r) => (r[8] = '2024-02-30'), field: 'recognisedOn', code: 'invalid_date' },
  1500: { edit: (r) => (r[5] = '91330302MA2H000010'), field: 'creditCode', code: 'invalid_credit_code' },
  1999: {
    edit: (r) => ((r[0] = '基线平台1996'), (r[1] = TYPES[1996 % 4]), (r[2] = LEVELS[1996 % 4]), (r[9] = goodRow(1996)[9])),
    field: 'documentNumber',
    code: 'duplicate_row',
  },
};

async function workbook(rows: number, broken: boolean): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('名录');
  sheet.addRow(HEADER);
  for (let i = 0; i < rows; i++) {
    const row = goodRow(i);
    const sheetRow = i + 2;
    if (broken && BROKEN[sheetRow]) BROKEN[sheetRow].edit(row);
    sheet.addRow(row);
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}

describe('registry: baseline import', () => {
  let test: TestApp;
  let db: DataSource;
  let bureau: string;
  const count = async (): Promise<number> => (await db.query('SELECT count(*)::int AS n FROM platform'))[0].n;
  const tallyRows = async (): Promise<number> => (await db.query('SELECT count(*)::int AS n FROM registry_tally'))[0].n;

  beforeAll(async () => {
    test = await startTestApp();
    db = test.app.get(DataSource);
    bureau = await signIn(test, 'bureau_officer');
  });

  afterAll(async () => {
    await test?.close();
  });

  it('reports the 7 bad rows of a 2,000-row XLSX precisely in a dry run and stores nothing', async () => {
    const file = await workbook(2000, true);
    const response = await request(test.baseUrl)
      .post('/platforms/import?dryRun=true')
      .set('authorization', bureau)
      .attach('file', file, '基线名录.xlsx')
      .expect(200);
    expect(response.body).toMatchObject({ dryRun: true, format: 'xlsx', total: 2000, valid: 1993, created: 0, toCreate: 1993 });
    const problems = (response.body.problems as { row: number; field: string; code: string; message: string }[]).map(
      ({ row, field, code }) => ({ row, field, code }),
    );
    expect(problems).toEqual(Object.entries(BROKEN).map(([row, p]) => ({ row: Number(row), field: p.field, code: p.code })));
    expect(response.body.problems[0].message).toContain('实验室X');
    expect(await count()).toBe(0);
    expect(await tallyRows()).toBe(0);
  });

  it('refuses a real run of the bad file as a whole, with the same problems', async () => {
    const file = await workbook(2000, true);
    const response = await request(test.baseUrl)
      .post('/platforms/import')
      .set('authorization', bureau)
      .attach('file', file, 'baseline.xlsx')
      .expect(400);
    expect(response.body.error.code).toBe('platform.import_invalid');
    expect(response.body.error.details.problems).toHaveLength(7);
    expect(await count()).toBe(0);
  });

  it('imports the fixed file once, and again without duplicates', async () => {
    const file = await workbook(2000, false);
    const first = await request(test.baseUrl)
      .post('/platforms/import')
      .set('authorization', bureau)
      .attach('file', file, 'baseline.xlsx')
      .expect(200);
    expect(first.body).toMatchObject({ dryRun: false, total: 2000, created: 2000, unchanged: 0, problems: [] });
    expect(await count()).toBe(2000);
    const tallyAfterFirst = await db.query(
      'SELECT measure, grain, period, platform_type, level, county_code, industry_code, delta FROM registry_tally ORDER BY 1,2,3,4,5,6,7',
    );

    const second = await request(test.baseUrl)
      .post('/platforms/import')
      .set('authorization', bureau)
      .attach('file', file, 'baseline.xlsx')
      .expect(200);
    expect(second.body).toMatchObject({ created: 0, unchanged: 2000, problems: [] });
    expect(await count()).toBe(2000);
    expect(
      await db.query(
        'SELECT measure, grain, period, platform_type, level, county_code, industry_code, delta FROM registry_tally ORDER BY 1,2,3,4,5,6,7',
      ),
    ).toEqual(tallyAfterFirst);

    // The counts start from the truth: the imported key labs count toward the target.
    const keyLabs = (await db.query(`SELECT count(*)::int AS n FROM platform WHERE type = 'key_lab'`))[0].n;
    const leader = await signIn(test, 'leader');
    const progress = await request(test.baseUrl).get('/targets/progress').set('authorization', leader).expect(200);
    expect(progress.body.targets.find((t: { code: string }) => t.code === 'key_lab.municipal_plus').value).toBe(keyLabs);
    // A zone's rows count toward the parent county.
    const zone = await db.query(`SELECT DISTINCT county_code FROM platform WHERE region_code = 'wenzhou_bay'`);
    expect(zone).toEqual([{ county_code: 'longwan' }]);
    const audit = await db.query(`SELECT summary FROM audit_event WHERE action = 'platform.imported'`);
    expect(audit).toHaveLength(1);
    expect(audit[0].summary.created).toBe(2000);
  });

  it('imports a UTF-8 CSV with Chinese headers and names', async () => {
    const csv = `\uFEFF平台名称,类型,级别,依托单位,所在地区,产业领域,认定日期,认定文号,专业运营机构,撤销日期,撤销原因\r\n"瓯海""智造""孵化器",科技企业孵化器,省级,瓯海某公司,瓯海区,智能装备,2021/5/8,浙科发〔2021〕5号,是,,\r\n苍南老实验室,重点实验室,市级,苍南某大学,cangnan,新材料,2019-01-02,温科发〔2019〕2号,否,2022-06-30,停止运营\r\n`;
    const response = await request(test.baseUrl)
      .post('/platforms/import')
      .set('authorization', bureau)
      .attach('file', Buffer.from(csv, 'utf8'), 'old.csv')
      .expect(200);
    expect(response.body).toMatchObject({ format: 'csv', total: 2, created: 2, problems: [] });
    const rows = await db.query(
      `SELECT name, status, revoked_on::text, revocation_reason, professional_operator FROM platform WHERE document_number IN ('浙科发〔2021〕5号', '温科发〔2019〕2号') ORDER BY name`,
    );
    expect(rows).toEqual([
      { name: '瓯海"智造"孵化器', status: 'active', revoked_on: null, revocation_reason: null, professional_operator: true },
      { name: '苍南老实验室', status: 'revoked', revoked_on: '2022-06-30', revocation_reason: 'ceased', professional_operator: false },
    ]);
  });

  it('reads the region names the seed plan and the counties use (温州高新区〈经开区〉, 浙南产业集聚区, 瑞安, 温州海经区) as aliases', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('名录');
    sheet.addRow(HEADER);
    const names = [
      '温州高新区〈经开区〉',
      '温州经开区',
      ' 浙南产业集聚区 ',
      '温州高新区(经开区)',
      '瑞安',
      '温州海经区',
      '温州海洋经济发展示范区',
    ];
    names.forEach((region, i) =>
      sheet.addRow([
        `别名平台${i}`,
        '众创空间',
        '市级',
        '',
        `别名单位${i}`,
        '',
        region,
        '电气',
        '2020-03-0' + (i + 1),
        `温科发〔2020〕别${i}号`,
        '否',
      ]),
    );
    sheet.addRow(['别名平台坏', '众创空间', '市级', '', '别名单位坏', '', '温州高新', '电气', '2020-04-01', '温科发〔2020〕别坏号', '否']);
    const file = Buffer.from(await book.xlsx.writeBuffer());
    const before = await count();
    const dry = await request(test.baseUrl)
      .post('/platforms/import?dryRun=true')
      .set('authorization', bureau)
      .attach('file', file, 'aliases.xlsx')
      .expect(200);
    // A near miss is still refused: aliases are names, not prefixes.
    expect(dry.body.problems).toEqual([expect.objectContaining({ row: names.length + 2, field: 'regionCode', code: 'unknown_region' })]);
    expect(await count()).toBe(before);

    sheet.spliceRows(names.length + 2, 1);
    await request(test.baseUrl)
      .post('/platforms/import')
      .set('authorization', bureau)
      .attach('file', Buffer.from(await book.xlsx.writeBuffer()), 'aliases.xlsx')
      .expect(200);
    const rows: { region_code: string; county_code: string }[] = await db.query(
      `SELECT region_code, county_code FROM platform WHERE name LIKE '别名平台%' ORDER BY name`,
    );
    expect(rows).toEqual([
      { region_code: 'wenzhou_bay', county_code: 'longwan' },
      { region_code: 'wenzhou_bay', county_code: 'longwan' },
      { region_code: 'wenzhou_bay', county_code: 'longwan' },
      { region_code: 'wenzhou_bay', county_code: 'longwan' },
      { region_code: 'ruian', county_code: 'ruian' },
      { region_code: 'marine_economy', county_code: 'dongtou' },
      { region_code: 'marine_economy', county_code: 'dongtou' },
    ]);
    const regions = (await request(test.baseUrl).get('/regions').expect(200)).body as { code: string; aliases: string[] }[];
    expect(regions.find((r) => r.code === 'wenzhou_bay')?.aliases).toEqual(
      expect.arrayContaining(['温州高新区', '温州经开区', '浙南产业集聚区']),
    );
  });

  it('refuses files whose bytes do not match their type, or without the required columns, storing nothing', async () => {
    const before = await count();
    const fake = await request(test.baseUrl)
      .post('/platforms/import')
      .set('authorization', bureau)
      .attach('file', Buffer.from('平台名称,类型\n', 'utf8'), 'x.xlsx')
      .expect(415);
    expect(fake.body.error.code).toBe('platform.import_not_xlsx');
    const zip = await workbook(1, false);
    await request(test.baseUrl).post('/platforms/import').set('authorization', bureau).attach('file', zip, 'x.csv').expect(415);
    await request(test.baseUrl)
      .post('/platforms/import')
      .set('authorization', bureau)
      .attach('file', Buffer.from('hello'), 'x.exe')
      .expect(415);
    const gbk = Buffer.from([0xce, 0xc2, 0xd6, 0xdd, 0x2c, 0x0a]);
    expect(
      (await request(test.baseUrl).post('/platforms/import').set('authorization', bureau).attach('file', gbk, 'gbk.csv').expect(400)).body
        .error.code,
    ).toBe('platform.import_not_utf8');
    const missing = await request(test.baseUrl)
      .post('/platforms/import')
      .set('authorization', bureau)
      .attach('file', Buffer.from('平台名称,类型\n甲,孵化器\n', 'utf8'), 'x.csv')
      .expect(400);
    expect(missing.body.error.code).toBe('platform.import_missing_columns');
    await request(test.baseUrl).post('/platforms/import').set('authorization', bureau).send({ file: 'x' }).expect(415);
    await request(test.baseUrl)
      .post('/platforms/import?dryRun=maybe')
      .set('authorization', bureau)
      .attach('file', zip, 'x.xlsx')
      .expect(400);
    expect(await count()).toBe(before);
  });

  it('refuses workbook bombs before exceljs reads them (413/415), stores nothing and keeps its memory', async () => {
    const before = await count();
    const tallyBefore = await tallyRows();
    const MIB = 1_048_576;
    const rssBefore = process.memoryUsage.rss();
    let peak = rssBefore;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage.rss());
    }, 5);
    const post = (file: Buffer, dryRun = true): request.Test =>
      request(test.baseUrl)
        .post(`/platforms/import${dryRun ? '?dryRun=true' : ''}`)
        .set('authorization', bureau)
        .attach('file', file, '基线名录.xlsx');
    try {
      // The report's file: about 400 KB expanding to 400 MiB.
      const bomb = xlsxBomb(400 * MIB);
      expect(bomb.length).toBeLessThan(600 * 1024);
      const started = Date.now();
      const refused = await post(bomb);
      expect(refused.status).toBe(413);
      expect(refused.body.error).toMatchObject({ code: 'platform.import_archive_too_large', details: { reason: 'expanded_too_large' } });
      expect(Date.now() - started).toBeLessThan(5_000);
      expect((await post(bomb, false)).status).toBe(413);
      // Within the total but a ratio no spreadsheet has.
      const dense = await post(xlsxBomb(48 * MIB));
      expect({ status: dense.status, reason: dense.body.error.details.reason }).toEqual({ status: 413, reason: 'ratio_too_high' });
      // Sizes that lie are caught while inflating, after a few KB.
      const liar = await post(xlsxBomb(400 * MIB, 4_096));
      expect({ status: liar.status, code: liar.body.error.code, reason: liar.body.error.details.reason }).toEqual({
        status: 415,
        code: 'platform.import_not_xlsx',
        reason: 'size_mismatch',
      });
      const [types, rels] = xlsxParts();
      const hollow = await post(deflatedZip([types, rels]));
      expect({ status: hollow.status, code: hollow.body.error.code }).toEqual({ status: 415, code: 'platform.import_not_xlsx' });
    } finally {
      clearInterval(sampler);
    }
    expect(peak - rssBefore).toBeLessThan(100 * MIB);
    expect(await count()).toBe(before);
    expect(await tallyRows()).toBe(tallyBefore);
    // A real workbook still goes through.
    const fine = await request(test.baseUrl)
      .post('/platforms/import?dryRun=true')
      .set('authorization', bureau)
      .attach('file', await workbook(3, false), 'ok.xlsx')
      .expect(200);
    expect(fine.body).toMatchObject({ total: 3, problems: [] });
    // Fields before the file are few: the parser buffers them.
    let padded = request(test.baseUrl).post('/platforms/import?dryRun=true').set('authorization', bureau);
    for (let i = 0; i < 20; i++) padded = padded.field(`pad${i}`, 'x'.repeat(1000));
    expect((await padded.attach('file', await workbook(1, false), 'ok.xlsx')).status).toBe(413);
  });

  it('lets only the bureau and admins import', async () => {
    const file = await workbook(1, false);
    for (const role of ['leader', 'county_officer', 'applicant', 'expert'] as const) {
      await request(test.baseUrl)
        .post('/platforms/import')
        .set('authorization', await signIn(test, role))
        .attach('file', file, 'x.xlsx')
        .expect(403);
    }
  });

  it('exports the filtered registry as CSV and XLSX', async () => {
    const csv = await request(test.baseUrl)
      .get('/platforms/export?format=csv&type=key_lab&county=cangnan')
      .set('authorization', bureau)
      .expect(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toMatch(/^attachment; filename="platforms-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(csv.text).toContain('苍南老实验室');
    const xlsx = await request(test.baseUrl)
      .get('/platforms/export?format=xlsx&type=incubator')
      .set('authorization', bureau)
      .buffer(true)
      .parse((res, callback) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => callback(null, Buffer.concat(chunks)));
      })
      .expect(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.body as unknown as ArrayBuffer);
    const incubators = (await db.query(`SELECT count(*)::int AS n FROM platform WHERE type = 'incubator'`))[0].n;
    expect(book.worksheets[0].rowCount).toBe(incubators + 1);
  });
});
