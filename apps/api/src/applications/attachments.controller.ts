import type { MultipartFile } from '@fastify/multipart';
import { Controller, Get, Inject, Param, Post, Req, Res, StreamableFile } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiProduces,
  ApiTags,
  ApiOperation,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AttachmentErrors, AttachmentsService, contentDisposition } from '@app/applications';
import { DomainError, ParseUuidPipe } from '@app/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { type Actor, CurrentActor, Roles } from '@app/identity';
import { AttachmentDto, UploadAttachmentRequest, mapAttachment } from './attachments.dto';
import { Idempotent, fingerprintUpload } from '../idempotency/idempotent';
import { ApiErrors } from '../openapi';

const READERS = ['applicant', 'county_officer', 'bureau_officer', 'leader', 'admin'] as const;

interface Upload {
  documentCode: string | undefined;
  file: MultipartFile['file'];
  fileName: string;
}

@ApiTags('applications')
@ApiBearerAuth()
@Controller('applications/:id/attachments')
export class AttachmentsController {
  constructor(
    private readonly attachments: AttachmentsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @ApiOperation({ summary: '上传附件 · Upload an attachment' })
  @Post()
  @Idempotent()
  @Roles('applicant', 'county_officer', 'bureau_officer')
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: UploadAttachmentRequest })
  @ApiCreatedResponse({
    type: AttachmentDto,
    description:
      'Applicants: the call\'s documents or "other", in draft or revision. County officers: recommendation_letter or site_check in county review; bureau officers: site_check in site inspection. 413 above ATTACHMENT_MAX_BYTES; 415 unless PDF/JPEG/PNG/XLSX/DOCX by content and extension',
  })
  async upload(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUuidPipe) id: string,
    @Req() request: FastifyRequest,
  ): Promise<AttachmentDto> {
    const upload = await this.readUpload(request);
    const attachment = await this.attachments.upload(actor, id, upload.documentCode, upload.file, upload.fileName, ({ sha256 }) =>
      fingerprintUpload(request, [upload.documentCode ?? '', upload.fileName, sha256]),
    );
    return mapAttachment(attachment);
  }

  @ApiOperation({ summary: "附件列表 · List a dossier's attachments" })
  @Get()
  @Roles(...READERS)
  @ApiOkResponse({ type: [AttachmentDto], description: 'Every version of every attachment, oldest round first' })
  async list(@CurrentActor() actor: Actor, @Param('id', ParseUuidPipe) id: string): Promise<AttachmentDto[]> {
    return (await this.attachments.list(actor, id)).map(mapAttachment);
  }

  @ApiOperation({ summary: '下载附件 · Download an attachment' })
  @Get(':attachmentId')
  @Roles(...READERS)
  @ApiProduces('application/octet-stream')
  @ApiErrors(503)
  @ApiOkResponse({ description: 'The stored bytes, as an attachment (never rendered inline)' })
  async download(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUuidPipe) id: string,
    @Param('attachmentId', ParseUuidPipe) attachmentId: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    const { attachment, stream } = await this.attachments.download(actor, id, attachmentId);
    void reply.headers({
      'content-type': attachment.contentType,
      'content-length': attachment.sizeBytes,
      'content-disposition': contentDisposition(attachment.fileName),
      'x-content-type-options': 'nosniff',
      'cache-control': 'private, no-store',
    });
    return new StreamableFile(stream);
  }

  /** The documentCode field (sent first) and the file part, streamed: nothing is buffered here. */
  private async readUpload(request: FastifyRequest): Promise<Upload> {
    if (!request.isMultipart()) {
      throw new DomainError(
        'unsupported_media',
        'attachment.multipart_required',
        '请以 multipart/form-data 上传文件。Send the file as multipart/form-data.',
        {},
      );
    }
    const part = await request.file({
      // One byte over the limit lets the service see, and refuse, an oversized file.
      limits: { fileSize: this.config.attachmentMaxBytes + 1, files: 1, fields: 10, parts: 11 },
      // Keep the client's name intact so path tricks are refused, not silently stripped.
      preservePath: true,
    });
    if (!part) throw AttachmentErrors.fileMissing();
    const field = part.fields.documentCode;
    const documentCode =
      field && !Array.isArray(field) && field.type === 'field' && typeof field.value === 'string' ? field.value : undefined;
    return { documentCode, file: part.file, fileName: part.filename };
  }
}
