import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { Application, Call, DEFAULT_DOCUMENTS } from '@app/applications';
import { DEFAULT_DURATIONS, type Stage, currentDefinition } from '@app/workflow';
import {
  pdfBomb,
  sampleDocx,
  sampleElf,
  sampleEncryptedPdf,
  sampleExe,
  sampleJpeg,
  samplePdf,
  samplePdfThenElf,
  samplePng,
  sampleXlsx,
  sampleZip,
  xlsxBomb,
} from '../../libs/applications/src/attachments/testing/sample-files';
import { type TestApp, startTestApp } from '../support/app';
import { type Cast, makeCast } from '../support/procedure';

type Who = keyof Cast['tokens'];

interface FilePart {
  fileName: string;
  bytes: Buffer;
  contentType?: string;
}

const BOUNDARY = '----ouflow-test-boundary-7f3a';

/**
 * A multipart body built by hand, as a browser sends it: the documentCode field, then the file,
 * its name as raw UTF-8 and untouched (form-data libraries would strip the path tricks we test).
 */
function multipartBody(documentCode: string | null, file: FilePart | null): Buffer {
  const parts: Buffer[] = [];
  if (documentCode !== null) {
    parts.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="documentCode"\r\n\r\n${documentCode}\r\n`));
  }
  if (file) {
    parts.push(
      Buffer.from(
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${file.fileName}"\r\n` +
          `Content-Type: ${file.contentType ?? 'application/octet-stream'}\r\n\r\n`,
      ),
      file.bytes,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(parts);
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** A superagent parser that keeps the body as bytes (it receives the raw response stream). */
function binary(res: request.Response, callback: (error: Error | null, body: Buffer) => void): void {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => callback(null, Buffer.concat(chunks)));
}

function filesUnder(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((entry) => statSync(join(dir, entry)).isFile());
  } catch {
    return [];
  }
}

describe('dossier attachments (HTTP)', () => {
  let test: TestApp;
  let db: DataSource;
  let cast: Cast;
  let dataDir: string;
  let call: Call;
  const statuses: number[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ouflow-attachments-e2e-'));
    test = await startTestApp({ env: { DATA_DIR: dataDir } });
    db = test.app.get(DataSource);
    cast = await makeCast(test.baseUrl, db);
    // Calls and dossiers are inserted directly: this file tests attachments, not the procedure.
    const definition = currentDefinition('incubator', 'municipal');
    if (!definition) throw new Error('no incubator workflow');
    call = db.getRepository(Call).create({
      id: randomUUID(),
      platformType: 'incubator',
      level: 'municipal',
      year: 2027,
      title: '2027年度温州市科技企业孵化器认定',
      opensAt: new Date(Date.now() - 86_400_000),
      closesAt: new Date(Date.now() + 30 * 86_400_000),
      countyReviewDeadline: null,
      stageDurations: DEFAULT_DURATIONS,
      quotaPerCounty: null,
      requiredDocuments: DEFAULT_DOCUMENTS,
      eligibilityRules: [],
      workflowId: definition.id,
      status: 'open',
      createdBy: cast.users.bureau.id,
    });
    await db.getRepository(Call).insert(call);
  });

  afterAll(async () => {
    await test?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  afterEach(() => {
    // QUALITY.md: a 5xx anywhere is a failure.
    expect(statuses.filter((status) => status >= 500)).toEqual([]);
  });

  async function makeDossier(
    overrides: { stage?: Stage; round?: number; organisationId?: string; regionCode?: string } = {},
  ): Promise<Application> {
    const application = db.getRepository(Application).create({
      id: randomUUID(),
      callId: call.id,
      platformType: 'incubator',
      level: 'municipal',
      year: 2027,
      organisationId: overrides.organisationId ?? cast.orgA.id,
      regionCode: overrides.regionCode ?? 'lucheng',
      name: '瓯江科创孵化器',
      stage: overrides.stage ?? 'draft',
      round: overrides.round ?? 0,
      workflowId: call.workflowId,
      createdBy: cast.users.applicantA.id,
    });
    return db.getRepository(Application).save(application);
  }

  async function upload(who: Who, applicationId: string, documentCode: string | null, file: FilePart | null): Promise<request.Response> {
    const res = await request(test.baseUrl)
      .post(`/applications/${applicationId}/attachments`)
      .auth(cast.tokens[who], { type: 'bearer' })
      .set('content-type', `multipart/form-data; boundary=${BOUNDARY}`)
      .send(multipartBody(documentCode, file));
    statuses.push(res.status);
    return res;
  }

  async function get(who: Who, path: string): Promise<request.Response> {
    const res = await request(test.baseUrl).get(path).auth(cast.tokens[who], { type: 'bearer' }).buffer(true).parse(binary);
    statuses.push(res.status);
    return res;
  }

  async function stored(): Promise<{ rows: number; files: number }> {
    const [{ count }] = await db.query('SELECT count(*)::int AS count FROM attachment');
    return { rows: count, files: filesUnder(join(dataDir, 'attachments')).length };
  }

  it('stores a real PDF, PNG, JPEG, XLSX and DOCX with the type read from their bytes', async () => {
    const dossier = await makeDossier();
    const files: [string, FilePart, string][] = [
      ['business_licence', { fileName: '营业执照.pdf', bytes: samplePdf() }, 'application/pdf'],
      ['site_proof', { fileName: '场地照片.png', bytes: samplePng() }, 'image/png'],
      ['other', { fileName: 'photo.JPEG', bytes: sampleJpeg() }, 'image/jpeg'],
      [
        'other',
        { fileName: '场地面积.xlsx', bytes: await sampleXlsx() },
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      ],
      [
        'integrity_pledge',
        { fileName: '诚信承诺书.docx', bytes: sampleDocx() },
        'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      ],
    ];
    for (const [documentCode, file, contentType] of files) {
      // The client's claimed type is ignored: it says octet-stream for all of them.
      const res = await upload('applicantA', dossier.id, documentCode, file);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        applicationId: dossier.id,
        documentCode,
        round: 0,
        fileName: file.fileName,
        contentType,
        sizeBytes: file.bytes.length,
        sha256: sha256(file.bytes),
        uploadedBy: cast.users.applicantA.id,
      });
      const [row] = await db.query('SELECT storage_key FROM attachment WHERE id = $1', [res.body.id]);
      expect(row.storage_key).toMatch(new RegExp(`^attachments/\\d{4}/${res.body.id}$`));
      expect(statSync(join(dataDir, row.storage_key)).size).toBe(file.bytes.length);
    }
    const listed = await get('applicantA', `/applications/${dossier.id}/attachments`);
    expect(listed.status).toBe(200);
    const list: { documentCode: string }[] = JSON.parse((listed.body as Buffer).toString('utf8'));
    expect(list.map((a) => a.documentCode).sort()).toEqual(['business_licence', 'integrity_pledge', 'other', 'other', 'site_proof'].sort());
    const audit = await db.query(`SELECT count(*)::int AS count FROM audit_event WHERE action = 'attachment.upload' AND object_id = $1`, [
      dossier.id,
    ]);
    expect(audit[0].count).toBe(5);
  });

  it('keeps every upload of a document as a new version and serves each one back byte for byte with safe headers', async () => {
    const dossier = await makeDossier();
    const first = samplePdf('version one');
    const second = samplePdf('version two');
    const v1 = await upload('applicantA', dossier.id, 'business_licence', { fileName: '营业执照 (扫描件).pdf', bytes: first });
    const v2 = await upload('applicantA', dossier.id, 'business_licence', { fileName: 'licence.pdf', bytes: second });
    expect([v1.status, v2.status]).toEqual([201, 201]);
    expect([v1.body.version, v2.body.version]).toEqual([1, 2]);

    for (const [created, bytes] of [
      [v1, first],
      [v2, second],
    ] as const) {
      const res = await get('applicantA', `/applications/${dossier.id}/attachments/${created.body.id}`);
      expect(res.status).toBe(200);
      expect(sha256(res.body as Buffer)).toBe(sha256(bytes));
      expect(res.headers['content-type']).toBe('application/pdf');
      expect(res.headers['content-length']).toBe(String(bytes.length));
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-disposition']).toMatch(/^attachment; /);
    }
    const res = await get('applicantA', `/applications/${dossier.id}/attachments/${v1.body.id}`);
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="____ (___).pdf"; filename*=UTF-8''${encodeURIComponent('营业执照 (扫描件).pdf').replace(/[()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`,
    );
    const audit = await db.query(`SELECT summary FROM audit_event WHERE action = 'attachment.download' AND object_id = $1`, [dossier.id]);
    expect(audit).toHaveLength(3);
    expect(audit[0].summary).toMatchObject({ attachmentId: v1.body.id, version: 1 });
  });

  it('keeps the dossier’s audit chain whole when downloads race a transition', async () => {
    const dossier = await makeDossier({ stage: 'county_review', round: 1 });
    const letter = await upload('countyA', dossier.id, 'recommendation_letter', { fileName: '推荐函.pdf', bytes: samplePdf() });
    expect(letter.status).toBe(201);
    const [{ version }] = await db.query('SELECT version FROM application WHERE id = $1', [dossier.id]);
    const downloads = Array.from({ length: 12 }, () => get('countyA', `/applications/${dossier.id}/attachments/${letter.body.id}`));
    const action = request(test.baseUrl)
      .post(`/applications/${dossier.id}/actions`)
      .auth(cast.tokens.countyA, { type: 'bearer' })
      .send({ action: 'recommend', expectedVersion: version, comment: '同意推荐' });
    const [acted, ...downloaded] = await Promise.all([action, ...downloads]);
    statuses.push(acted.status);
    expect(acted.status).toBe(200);
    expect(downloaded.map((res) => res.status)).toEqual(downloaded.map(() => 200));
    const chain: { stream_seq: number; prev_hash: string | null; hash: string }[] = await db.query(
      `SELECT stream_seq, prev_hash, hash FROM audit_event WHERE stream = $1 ORDER BY stream_seq`,
      [`application:${dossier.id}`],
    );
    expect(chain.map((row) => row.stream_seq)).toEqual(chain.map((_, index) => index + 1));
    chain.slice(1).forEach((row, index) => expect(row.prev_hash).toBe(chain[index].hash));
    expect(chain).toHaveLength(1 + 12 + 1); // the upload, the downloads, the recommendation
  });

  it('numbers concurrent uploads of one document 1..n without gaps or duplicates', async () => {
    const dossier = await makeDossier();
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        upload('applicantA', dossier.id, 'site_proof', { fileName: `site-${i}.png`, bytes: samplePng() }),
      ),
    );
    expect(results.map((res) => res.status)).toEqual(Array(6).fill(201));
    expect(results.map((res) => res.body.version as number).sort()).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it.each([
    ['a Windows executable renamed .pdf', '申报书.pdf', sampleExe(), 'attachment.unsupported_type'],
    ['an ELF binary renamed .pdf', 'report.pdf', sampleElf(), 'attachment.unsupported_type'],
    ['a zip archive', 'materials.zip', sampleZip(), 'attachment.unsupported_type'],
    ['a zip archive renamed .docx', 'materials.docx', sampleZip(), 'attachment.unsupported_type'],
    ['a PNG named .pdf', 'scan.pdf', samplePng(), 'attachment.extension_mismatch'],
  ])('refuses %s with 415 and stores nothing', async (_label, fileName, bytes, code) => {
    const dossier = await makeDossier();
    const before = await stored();
    const res = await upload('applicantA', dossier.id, 'business_licence', { fileName, bytes, contentType: 'application/pdf' });
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe(code);
    expect(await stored()).toEqual(before);
  });

  it.each([
    ['../', '../../etc/营业执照.pdf'],
    ['..\\', '..\\..\\营业执照.pdf'],
    ['an absolute path', '/tmp/x.pdf'],
  ])('refuses a file name with %s in it with 400 and stores nothing', async (_label, fileName) => {
    const dossier = await makeDossier();
    const before = await stored();
    const res = await upload('applicantA', dossier.id, 'business_licence', { fileName, bytes: samplePdf() });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('attachment.invalid_file_name');
    expect(await stored()).toEqual(before);
  });

  it('refuses a 200 MB upload with 413 while it is still arriving, without buffering it, and stores nothing', async () => {
    const dossier = await makeDossier();
    const before = await stored();
    const rssBefore = process.memoryUsage().rss;
    const total = 200 * 1024 * 1024;
    const started = Date.now();
    const outcome = await new Promise<{ status: number; body: string; sent: number }>((resolve, reject) => {
      const url = new URL(`/applications/${dossier.id}/attachments`, test.baseUrl);
      let sent = 0;
      let answered = false;
      const req = httpRequest(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${cast.tokens.applicantA}`, 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
      });
      req.on('response', (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), sent });
          req.destroy();
        });
      });
      req.on('error', (error) => {
        if (!answered) reject(error);
      });
      const head = Buffer.from(
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="documentCode"\r\n\r\nbusiness_licence\r\n` +
          `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="huge.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n`,
      );
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      req.write(head);
      const pump = (): void => {
        while (!answered && sent < total) {
          sent += chunk.length;
          if (!req.write(chunk)) {
            req.once('drain', pump);
            return;
          }
        }
        if (!answered) req.end(`\r\n--${BOUNDARY}--\r\n`);
      };
      pump();
    });
    statuses.push(outcome.status);
    expect(outcome.status).toBe(413);
    expect(JSON.parse(outcome.body).error.code).toBe('attachment.too_large');
    // Answered as soon as the limit (20 MiB by default) was passed, long before 200 MB were sent.
    expect(outcome.sent).toBeLessThan(total / 2);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(100 * 1024 * 1024);
    expect(await stored()).toEqual(before);
    // The server is still fine.
    expect((await upload('applicantA', dossier.id, 'business_licence', { fileName: 'ok.pdf', bytes: samplePdf() })).status).toBe(201);
  });

  it('refuses archive bombs and files that only start like their type, with their codes, storing no row and no file', async () => {
    const dossier = await makeDossier();
    const before = await stored();
    const GIB = 1024 * 1_048_576;
    const cases: [string, Buffer, number, string, Record<string, unknown>][] = [
      // About 1 MB expanding to 1 GiB: refused from the zip's directory, nothing inflated.
      ['场地面积.xlsx', xlsxBomb(GIB), 413, 'attachment.archive_too_large', { reason: 'expanded_too_large' }],
      // The same bomb declaring 2 KB: stopped while inflating, just past what it declared.
      ['场地面积.xlsx', xlsxBomb(GIB, 2_048), 422, 'attachment.archive_invalid', { reason: 'size_mismatch' }],
      ['readme.xlsx', sampleZip(), 415, 'attachment.unsupported_type', {}],
      ['营业执照.pdf', samplePdfThenElf(), 415, 'attachment.not_a_pdf', {}],
      ['营业执照.pdf', sampleEncryptedPdf(), 422, 'attachment.pdf_encrypted', {}],
    ];
    const rssBefore = process.memoryUsage.rss();
    let peak = rssBefore;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage.rss());
    }, 5);
    try {
      for (const [fileName, bytes, status, code, details] of cases) {
        const res = await upload('applicantA', dossier.id, 'other', { fileName, bytes });
        expect({ fileName, status: res.status, code: res.body.error?.code }).toEqual({ fileName, status, code });
        expect(res.body.error.details).toMatchObject(details);
        expect(res.body.error.message).toMatch(/^[\u4e00-\u9fff].*。[A-Z]/u);
      }
    } finally {
      clearInterval(sampler);
    }
    expect(peak - rssBefore).toBeLessThan(100 * 1_048_576);
    // A PDF whose object stream inflates to 1 GiB: the parser is abandoned at its memory bound.
    const bomb = await upload('applicantA', dossier.id, 'other', { fileName: 'bomb.pdf', bytes: pdfBomb(GIB) });
    expect({ status: bomb.status, code: bomb.body.error?.code }).toEqual({ status: 413, code: 'attachment.pdf_too_complex' });
    expect(await stored()).toEqual(before);
    const audit = await db.query(`SELECT count(*)::int AS count FROM audit_event WHERE action = 'attachment.upload' AND object_id = $1`, [
      dossier.id,
    ]);
    expect(audit[0].count).toBe(0);
    expect((await upload('applicantA', dossier.id, 'other', { fileName: 'ok.xlsx', bytes: await sampleXlsx() })).status).toBe(201);
  });

  it('shows an attachment the same way on every route: no storage key anywhere, sizes as numbers', async () => {
    const dossier = await makeDossier({ stage: 'county_review', round: 1 });
    const letter = await upload('countyA', dossier.id, 'recommendation_letter', { fileName: '推荐函.pdf', bytes: samplePdf() });
    expect(letter.status).toBe(201);
    const json = async (who: Who, path: string): Promise<{ text: string; body: unknown }> => {
      const res = await get(who, path);
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
      const text = (res.body as Buffer).toString('utf8');
      return { text, body: JSON.parse(text) };
    };
    const listed = await json('countyA', `/applications/${dossier.id}/attachments`);
    const timeline = await json('countyA', `/applications/${dossier.id}/timeline`);
    const attachments = listed.body as Record<string, unknown>[];
    expect(attachments).toHaveLength(1);
    expect(attachments[0].sizeBytes).toBe(samplePdf().length);
    expect((timeline.body as { attachmentsByRound: Record<string, unknown[]> }).attachmentsByRound).toEqual({ 1: attachments });
    const routes = [
      `/applications/${dossier.id}`,
      `/applications/${dossier.id}/timeline`,
      `/applications/${dossier.id}/attachments`,
      `/applications/${dossier.id}/eligibility`,
      '/applications',
    ];
    for (const who of ['countyA', 'bureau', 'leader'] as const) {
      for (const path of routes)
        expect({ who, path, text: (await json(who, path)).text }).not.toMatchObject({ text: expect.stringMatching(/storage_?key/i) });
    }
    const openapi = await json('bureau', '/docs/openapi.json');
    expect(openapi.text).not.toMatch(/storage_?key/i);
  });

  it('answers 404 to an applicant of another organisation and to an officer of another county, on every route', async () => {
    const submitted = await makeDossier({ stage: 'county_review', round: 1 });
    const staffFile = await upload('countyA', submitted.id, 'recommendation_letter', { fileName: '推荐函.docx', bytes: sampleDocx() });
    expect(staffFile.status).toBe(201);
    const before = await stored();
    for (const who of ['applicantB', 'countyB'] as const) {
      const up = await upload(who, submitted.id, who === 'countyB' ? 'recommendation_letter' : 'business_licence', {
        fileName: 'x.pdf',
        bytes: samplePdf(),
      });
      expect([who, up.status, up.body.error.code]).toEqual([who, 404, 'application.not_found']);
      expect((await get(who, `/applications/${submitted.id}/attachments`)).status).toBe(404);
      expect((await get(who, `/applications/${submitted.id}/attachments/${staffFile.body.id}`)).status).toBe(404);
    }
    expect(await stored()).toEqual(before);
    // Inside the scope: the applicant and the county officer of the dossier, the bureau, the leader.
    for (const who of ['applicantA', 'countyA', 'bureau', 'leader'] as const) {
      expect((await get(who, `/applications/${submitted.id}/attachments/${staffFile.body.id}`)).status).toBe(200);
    }
    // A draft is the applicant's alone.
    const draft = await makeDossier();
    expect((await get('countyA', `/applications/${draft.id}/attachments`)).status).toBe(404);
    // An attachment id of another dossier is not found through this one.
    expect((await get('applicantA', `/applications/${draft.id}/attachments/${staffFile.body.id}`)).status).toBe(404);
  });

  it('refuses uploads by the applicant once the dossier is submitted (409) and lets the county add its recommendation letter', async () => {
    const submitted = await makeDossier({ stage: 'county_review', round: 1 });
    const before = await stored();
    const late = await upload('applicantA', submitted.id, 'business_licence', { fileName: 'late.pdf', bytes: samplePdf() });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('attachment.stage_closed');
    expect(await stored()).toEqual(before);

    const letter = await upload('countyA', submitted.id, 'recommendation_letter', { fileName: '推荐函.pdf', bytes: samplePdf() });
    expect(letter.status).toBe(201);
    expect(letter.body).toMatchObject({ documentCode: 'recommendation_letter', round: 1, version: 1 });
    // The bureau may record a site check only during site inspection; county officers no letters for other stages.
    expect((await upload('bureau', submitted.id, 'site_check', { fileName: 'check.pdf', bytes: samplePdf() })).status).toBe(409);
    expect((await upload('bureau', submitted.id, 'recommendation_letter', { fileName: 'x.pdf', bytes: samplePdf() })).status).toBe(403);
    // Leaders read only.
    expect((await upload('leader', submitted.id, 'site_check', { fileName: 'x.pdf', bytes: samplePdf() })).status).toBe(403);
  });

  it('answers 400 for unknown or missing document codes, staff codes used by applicants and a missing file; 415 for a non-multipart body', async () => {
    const dossier = await makeDossier();
    const before = await stored();
    for (const code of ['passport', 'recommendation_letter', null]) {
      const res = await upload('applicantA', dossier.id, code, { fileName: 'x.pdf', bytes: samplePdf() });
      expect([code, res.status, res.body.error.code]).toEqual([code, 400, 'attachment.invalid_document_code']);
    }
    const noFile = await upload('applicantA', dossier.id, 'business_licence', null);
    expect([noFile.status, noFile.body.error.code]).toEqual([400, 'attachment.file_missing']);
    const empty = await upload('applicantA', dossier.id, 'business_licence', { fileName: 'empty.pdf', bytes: Buffer.alloc(0) });
    expect([empty.status, empty.body.error.code]).toEqual([400, 'attachment.empty']);
    const jsonBody = await request(test.baseUrl)
      .post(`/applications/${dossier.id}/attachments`)
      .auth(cast.tokens.applicantA, { type: 'bearer' })
      .send({ documentCode: 'business_licence', file: 'JVBERi0=' });
    statuses.push(jsonBody.status);
    expect([jsonBody.status, jsonBody.body.error.code]).toEqual([415, 'attachment.multipart_required']);
    expect(await stored()).toEqual(before);
  });
});
