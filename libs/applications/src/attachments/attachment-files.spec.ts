import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DomainError } from '@app/common';
import { checkFileName, contentDisposition, detectAllowedType } from './attachment-files';
import { inspectPdf } from './pdf-inspection';
import {
  deflatedZip,
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
  storedZip,
  xlsxBomb,
  xlsxParts,
} from './testing/sample-files';

function codeOf(work: () => unknown): string | undefined {
  try {
    work();
  } catch (error) {
    return error instanceof DomainError ? error.code : 'not a DomainError';
  }
  return undefined;
}

describe('checkFileName', () => {
  it.each([
    '../etc/passwd.pdf',
    '..\\boot.ini.pdf',
    'a/b.pdf',
    'C:\\x.pdf',
    'nul\u0000.pdf',
    'tab\t.pdf',
    'line\n.pdf',
    '..',
    '.',
    '',
    'a'.repeat(256),
  ])('refuses %j', (name) => {
    expect(codeOf(() => checkFileName(name))).toBe('attachment.invalid_file_name');
  });

  it('keeps a Chinese name and strips invisible formatting characters', () => {
    expect(checkFileName(' 营业执照\u202e  扫描件.PDF ')).toEqual({ displayName: '营业执照 扫描件.PDF', extension: 'pdf' });
  });

  it('has no extension for names without one', () => {
    expect(checkFileName('README').extension).toBeNull();
    expect(checkFileName('.pdf').extension).toBeNull();
  });
});

describe('contentDisposition', () => {
  it('always says attachment and encodes the name per RFC 5987', () => {
    expect(contentDisposition('推荐函 (1).pdf')).toBe(
      `attachment; filename="___ (1).pdf"; filename*=UTF-8''%E6%8E%A8%E8%8D%90%E5%87%BD%20%281%29.pdf`,
    );
    expect(contentDisposition('a"b.pdf')).toBe(`attachment; filename="a_b.pdf"; filename*=UTF-8''a%22b.pdf`);
  });
});

describe('detectAllowedType (file-type under jest)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ouflow-attachment-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, bytes: Buffer): string => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  };

  it.each([
    ['pdf', samplePdf(), 'application/pdf'],
    ['png', samplePng(), 'image/png'],
    ['jpeg', sampleJpeg(), 'image/jpeg'],
    ['docx', sampleDocx(), 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
  ])('accepts a real %s', async (extension, bytes, mime) => {
    await expect(detectAllowedType(write(`f.${extension}`, bytes), extension)).resolves.toMatchObject({ mime });
  });

  it('accepts an xlsx written by exceljs', async () => {
    await expect(detectAllowedType(write('f.xlsx', await sampleXlsx()), 'xlsx')).resolves.toMatchObject({ ext: 'xlsx' });
  });

  it.each([
    ['an exe renamed .pdf', sampleExe()],
    ['an ELF binary renamed .pdf', sampleElf()],
    ['a zip renamed .pdf', sampleZip()],
    ['plain text', Buffer.from('hello')],
  ])('refuses %s', async (_label, bytes) => {
    await expect(detectAllowedType(write('bad.pdf', bytes), 'pdf')).rejects.toMatchObject({ code: 'attachment.unsupported_type' });
  });

  it('refuses a PNG named .pdf', async () => {
    await expect(detectAllowedType(write('png.pdf', samplePng()), 'pdf')).rejects.toMatchObject({ code: 'attachment.extension_mismatch' });
  });
});

describe('detectAllowedType: archives and PDFs by their content, within bounds', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ouflow-attachment-content-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  let serial = 0;
  const write = (name: string, bytes: Buffer): string => {
    serial += 1;
    const path = join(dir, `${serial}-${name}`);
    writeFileSync(path, bytes);
    return path;
  };
  const GIB = 1024 * 1_048_576;

  /** Runs `work` and reports how much the process's resident memory grew meanwhile (sampled every 5 ms). */
  async function peakGrowth<T>(work: () => Promise<T>): Promise<{ outcome: T | unknown; growth: number }> {
    const before = process.memoryUsage.rss();
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage.rss());
    }, 5);
    try {
      const outcome = await work().catch((error: unknown) => error);
      if (process.env.SHOW_GROWTH) process.stdout.write(`growth ${Math.round((peak - before) / 1_048_576)} MiB\n`);
      return { outcome, growth: peak - before };
    } finally {
      clearInterval(sampler);
    }
  }

  it('refuses an XLSX with a 1 GiB entry (a 1 MB file) from its directory, without inflating it (413)', async () => {
    const bomb = xlsxBomb(GIB);
    expect(bomb.length).toBeLessThan(2 * 1_048_576);
    const started = Date.now();
    const { outcome, growth } = await peakGrowth(() => detectAllowedType(write('bomb.xlsx', bomb), 'xlsx'));
    expect(outcome).toMatchObject({ code: 'attachment.archive_too_large', kind: 'too_large', details: { reason: 'expanded_too_large' } });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(growth).toBeLessThan(64 * 1_048_576);
  });

  it('refuses an entry whose compression ratio gives it away, though the total is within bounds', async () => {
    await expect(detectAllowedType(write('ratio.xlsx', xlsxBomb(64 * 1_048_576)), 'xlsx')).rejects.toMatchObject({
      code: 'attachment.archive_too_large',
      details: { reason: 'ratio_too_high' },
    });
  });

  it('stops an entry that lies about its size as soon as it inflates past what it declared', async () => {
    const liar = xlsxBomb(GIB, 2_000);
    const { outcome, growth } = await peakGrowth(() => detectAllowedType(write('liar.xlsx', liar), 'xlsx'));
    expect(outcome).toMatchObject({ code: 'attachment.archive_invalid', details: { reason: 'size_mismatch' } });
    expect(growth).toBeLessThan(64 * 1_048_576);
  });

  it('refuses too many entries, encrypted entries and names that climb out of the package', async () => {
    const many = deflatedZip([
      ...xlsxParts(),
      ...Array.from({ length: 2_000 }, (_, i) => ({ name: `xl/media/${i}.xml`, deflated: Buffer.from([0x03, 0x00]), size: 0 })),
    ]);
    await expect(detectAllowedType(write('many.xlsx', many), 'xlsx')).rejects.toMatchObject({
      code: 'attachment.archive_too_large',
      details: { reason: 'too_many_entries' },
    });
    const [types, rels, workbook] = xlsxParts();
    const encrypted = deflatedZip([types, rels, { ...workbook, encrypted: true }]);
    await expect(detectAllowedType(write('encrypted.xlsx', encrypted), 'xlsx')).rejects.toMatchObject({
      code: 'attachment.archive_invalid',
      details: { reason: 'encrypted_entry' },
    });
    for (const name of ['../../etc/cron.d/x', '/etc/passwd', 'xl\\..\\..\\x.xml', 'C:/x.xml']) {
      const climbing = deflatedZip([...xlsxParts(), { ...workbook, name }]);
      await expect(detectAllowedType(write('climb.xlsx', climbing), 'xlsx')).rejects.toMatchObject({
        code: 'attachment.archive_invalid',
        details: { reason: 'unsafe_entry_name' },
      });
    }
  });

  it('refuses a zip renamed .xlsx or .docx, and a package without its main part', async () => {
    await expect(detectAllowedType(write('renamed.xlsx', sampleZip()), 'xlsx')).rejects.toMatchObject({
      code: 'attachment.unsupported_type',
    });
    await expect(detectAllowedType(write('renamed.docx', sampleZip()), 'docx')).rejects.toMatchObject({
      code: 'attachment.unsupported_type',
    });
    const [types, rels] = xlsxParts();
    await expect(detectAllowedType(write('hollow.xlsx', deflatedZip([types, rels])), 'xlsx')).rejects.toMatchObject({
      code: 'attachment.not_an_office_document',
      details: { missing: 'xl/workbook.xml' },
    });
    const docxWithoutBody = storedZip([
      {
        name: '[Content_Types].xml',
        data: '<Types><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
      },
      { name: 'word/styles.xml', data: '<w:styles/>' },
    ]);
    await expect(detectAllowedType(write('hollow.docx', docxWithoutBody), 'docx')).rejects.toMatchObject({
      code: 'attachment.not_an_office_document',
    });
  });

  it('refuses %PDF- followed by an executable, and an encrypted PDF', async () => {
    await expect(detectAllowedType(write('elf.pdf', samplePdfThenElf()), 'pdf')).rejects.toMatchObject({
      code: 'attachment.not_a_pdf',
      kind: 'unsupported_media',
    });
    await expect(detectAllowedType(write('locked.pdf', sampleEncryptedPdf()), 'pdf')).rejects.toMatchObject({
      code: 'attachment.pdf_encrypted',
      kind: 'unprocessable',
    });
  });

  it('abandons a PDF whose object stream inflates to 1 GiB, within its memory bound, and stays usable', async () => {
    const bomb = pdfBomb(GIB);
    expect(bomb.length).toBeLessThan(2 * 1_048_576);
    const { outcome, growth } = await peakGrowth(() => detectAllowedType(write('bomb.pdf', bomb), 'pdf'));
    expect(outcome).toMatchObject({ code: 'attachment.pdf_too_complex', kind: 'too_large', details: { reason: 'memory' } });
    expect(growth).toBeLessThan(600 * 1_048_576);
    await expect(inspectPdf(write('after.pdf', samplePdf()))).resolves.toEqual({ kind: 'pdf', pages: 1 });
  });
});
