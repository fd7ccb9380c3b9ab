import { ApiProperty } from '@nestjs/swagger';
import type { Attachment } from '@app/applications';

export class AttachmentDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) applicationId: string;
  @ApiProperty({
    description: "A code of the call's required documents, recommendation_letter, site_check or other",
    example: 'business_licence',
  })
  documentCode: string;
  @ApiProperty({ description: "The dossier's round at upload (0 while a draft)" }) round: number;
  @ApiProperty({ description: '1 for the first upload of this document code, +1 for each later one' }) version: number;
  @ApiProperty({ example: '营业执照.pdf' }) fileName: string;
  @ApiProperty({ description: 'Detected from the bytes', example: 'application/pdf' }) contentType: string;
  @ApiProperty() sizeBytes: number;
  @ApiProperty({ description: 'SHA-256 of the bytes, hex' }) sha256: string;
  @ApiProperty({ format: 'uuid' }) uploadedBy: string;
  @ApiProperty() createdAt: string;
}

export class UploadAttachmentRequest {
  @ApiProperty({ description: 'Send this field before the file', example: 'business_licence' }) documentCode: string;
  @ApiProperty({ type: 'string', format: 'binary', description: 'PDF, JPEG, PNG, XLSX or DOCX' }) file: unknown;
}

export function mapAttachment(attachment: Attachment): AttachmentDto {
  return {
    id: attachment.id,
    applicationId: attachment.applicationId,
    documentCode: attachment.documentCode,
    round: attachment.round,
    version: attachment.version,
    fileName: attachment.fileName,
    contentType: attachment.contentType,
    sizeBytes: Number(attachment.sizeBytes),
    sha256: attachment.sha256,
    uploadedBy: attachment.uploadedBy,
    createdAt: attachment.createdAt.toISOString(),
  };
}
