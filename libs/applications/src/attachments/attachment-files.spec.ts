import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DomainError } from '@app/common';
import { checkFileName, contentDisposition, detectAllowedType } from './attachment-files';
import { sampleDocx, sampleElf, sampleExe, sampleJpeg, samplePdf, samplePng, sampleXlsx, sampleZip } from './testing/sample-files';

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
