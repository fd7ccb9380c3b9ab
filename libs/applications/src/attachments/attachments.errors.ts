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
};
