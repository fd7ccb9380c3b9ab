import { DomainError } from '@app/common';

export const AttachmentErrors = {
  notFound: (id: string) => new DomainError('not_found', 'attachment.not_found', '未找到该附件。Attachment not found.', { id }),
  fileMissing: () => new DomainError('validation', 'attachment.file_missing', '请选择要上传的文件。No file was sent.', {}),
  invalidFileName: (reason: string) =>
    new DomainError('validation', 'attachment.invalid_file_name', '文件名不合法（不得包含路径或控制字符）。The file name is not allowed.', {
      reason,
    }),
  invalidDocumentCode: (documentCode: string, allowed: string[]) =>
    new DomainError(
      'validation',
      'attachment.invalid_document_code',
      '材料类型不在本次申报通知的材料清单中。Unknown document code for this dossier.',
      {
        documentCode,
        allowed,
      },
    ),
  uploadForbidden: (documentCode: string) =>
    new DomainError('forbidden', 'attachment.upload_forbidden', '当前角色不能上传此类材料。Your role may not upload this document.', {
      documentCode,
    }),
  stageClosed: (stage: string) =>
    new DomainError('conflict', 'attachment.stage_closed', '当前环节不能上传该材料。Uploads of this document are closed at this stage.', {
      stage,
    }),
  empty: () => new DomainError('validation', 'attachment.empty', '文件为空。The file is empty.', {}),
  tooLarge: (maxBytes: number) =>
    new DomainError('too_large', 'attachment.too_large', `文件超过大小上限（${maxBytes} 字节）。The file exceeds the size limit.`, {
      maxBytes,
    }),
  unsupportedType: (detected: string | null, allowed: string[]) =>
    new DomainError(
      'unsupported_media',
      'attachment.unsupported_type',
      '仅支持 PDF、JPEG、PNG、XLSX、DOCX 文件。Only PDF, JPEG, PNG, XLSX and DOCX files are accepted.',
      {
        detected,
        allowed,
      },
    ),
  extensionMismatch: (extension: string | null, detected: string) =>
    new DomainError(
      'unsupported_media',
      'attachment.extension_mismatch',
      '文件扩展名与文件内容不符。The file extension does not match its content.',
      {
        extension,
        detected,
      },
    ),
  fileUnavailable: (id: string) =>
    new DomainError('unavailable', 'attachment.file_unavailable', '附件文件暂不可用，请联系管理员。The stored file is unavailable.', {
      id,
    }),
  archiveTooLarge: (reason: string, details: Record<string, unknown>) =>
    new DomainError(
      'too_large',
      'attachment.archive_too_large',
      '文件解压后过大（条目过多、总大小或压缩比超限）。The file expands beyond the limits (entries, total size or compression ratio).',
      { ...details, reason },
    ),
  archiveInvalid: (reason: string, details: Record<string, unknown>) =>
    new DomainError(
      'unprocessable',
      'attachment.archive_invalid',
      '文件的压缩结构无效（加密、路径异常、声明大小不符或已损坏）。The file is not a sound archive (encrypted, unsafe names, false sizes or corrupt).',
      { ...details, reason },
    ),
  notAnOfficeDocument: (expected: string, missing: string) =>
    new DomainError(
      'unsupported_media',
      'attachment.not_an_office_document',
      `文件不是有效的 ${expected.toUpperCase()} 文档。The file is not a valid ${expected.toUpperCase()} document.`,
      { expected, missing },
    ),
  notAPdf: (reason: string) =>
    new DomainError('unsupported_media', 'attachment.not_a_pdf', '文件不是可读取的 PDF 文档。The file is not a readable PDF document.', {
      reason,
    }),
  pdfEncrypted: () =>
    new DomainError(
      'unprocessable',
      'attachment.pdf_encrypted',
      '请上传未加密的 PDF（取消密码或权限保护后再上传）。Upload the PDF without encryption (remove its password or restrictions).',
      {},
    ),
  pdfTooComplex: (reason: string) =>
    new DomainError(
      'too_large',
      'attachment.pdf_too_complex',
      'PDF 文件解析所需的内存或时间超限。The PDF needs too much memory or time to read.',
      { reason },
    ),
};
