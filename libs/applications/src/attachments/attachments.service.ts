import { randomUUID } from 'node:crypto';
import { type ReadStream } from 'node:fs';
import { mkdir, open, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '@app/audit';
import { Clock } from '@app/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { inTransaction } from '@app/database';
import type { Actor, Role } from '@app/identity';
import type { Stage } from '@app/workflow';
import { Application } from '../application.entity';
import { ApplicationPolicy } from '../application.policy';
import { ApplicationErrors } from '../applications.errors';
import { Call } from '../call.entity';
import { checkClaimedExtension, checkFileName, detectAllowedType } from './attachment-files';
import { discardRest, writeWithLimit } from './attachment-storage';
import { Attachment } from './attachment.entity';
import { AttachmentErrors } from './attachments.errors';

/** Applicants upload the call's documents (or 'other') while the dossier is theirs to edit. */
const APPLICANT_STAGES: readonly Stage[] = ['draft', 'revision'];
export const OTHER_DOCUMENT = 'other';

/**
 * Documents staff add to a dossier, by role and the stages in which they may: the county's
 * recommendation letter (推荐函) during county review; a site check record by the county during
 * county review or by the bureau during site inspection (DOMAIN.md §5). Applicants cannot use these codes.
 */
export const STAFF_DOCUMENTS: Readonly<Record<string, Partial<Record<Role, readonly Stage[]>>>> = {
  recommendation_letter: { county_officer: ['county_review'] },
  site_check: { county_officer: ['county_review'], bureau_officer: ['site_inspection'] },
};

export interface AttachmentDownload {
  attachment: Attachment;
  stream: ReadStream;
}

/**
 * Dossier attachments: streamed to disk under DATA_DIR with a size limit and a sha256, checked by
 * their bytes against an allow-list, kept as versions (nothing is overwritten). Access follows the
 * dossier's (ApplicationPolicy): outside the caller's scope is 404.
 */
@Injectable()
export class AttachmentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /**
   * Stores one upload as the next version of `documentCode`. Every refusal leaves no row and no
   * file; the rest of a refused stream is drained so the request ends normally. `onStored` learns
   * the file's sha256 once it is on disk, before anything is written to the database.
   */
  async upload(
    actor: Actor,
    applicationId: string,
    documentCode: string | undefined,
    file: Readable,
    fileName: string | undefined,
    onStored?: (stored: { sha256: string }) => void,
  ): Promise<Attachment> {
    let path: string | null = null;
    try {
      // Cheap checks first, before a byte is written.
      const before = await this.applicationForUpload(this.dataSource.manager, actor, applicationId, false);
      const name = checkFileName(fileName);
      const code = this.checkMayUpload(actor, before.application, before.call, documentCode);
      checkClaimedExtension(name.extension);

      const id = randomUUID();
      const storageKey = `attachments/${this.clock.now().getUTCFullYear()}/${id}`;
      path = this.pathOf(storageKey);
      await mkdir(dirname(path), { recursive: true });
      const stored = await writeWithLimit(file, path, this.config.attachmentMaxBytes);
      if (stored.sizeBytes === 0) throw AttachmentErrors.empty();
      const type = await detectAllowedType(path, name.extension);
      onStored?.(stored);

      return await inTransaction(this.dataSource, async (manager) => {
        // Locked and checked again: the dossier may have been submitted while the file arrived.
        const { application, call } = await this.applicationForUpload(manager, actor, applicationId, true);
        this.checkMayUpload(actor, application, call, code);
        const latest: { version: number | null }[] = await manager.query(
          'SELECT max(version) AS version FROM attachment WHERE application_id = $1 AND document_code = $2',
          [applicationId, code],
        );
        const attachment = manager.create(Attachment, {
          id,
          applicationId,
          documentCode: code,
          round: application.round,
          version: (latest[0]?.version ?? 0) + 1,
          fileName: name.displayName,
          contentType: type.mime,
          sizeBytes: String(stored.sizeBytes),
          sha256: stored.sha256,
          storageKey,
          uploadedBy: actor.userId,
        });
        await manager.insert(Attachment, attachment);
        await this.audit.record(manager, actor, {
          action: 'attachment.upload',
          objectType: 'application',
          objectId: applicationId,
          summary: {
            attachmentId: id,
            documentCode: code,
            version: attachment.version,
            round: attachment.round,
            sizeBytes: stored.sizeBytes,
            sha256: stored.sha256,
            contentType: type.mime,
          },
        });
        return manager.findOneOrFail(Attachment, { where: { id } });
      });
    } catch (error) {
      discardRest(file);
      if (path) await rm(path, { force: true });
      throw error;
    }
  }

  /** Every version of every attachment of a dossier the actor may see. */
  async list(actor: Actor, applicationId: string): Promise<Attachment[]> {
    await this.accessibleApplication(this.dataSource.manager, actor, applicationId, false);
    return this.listForApplication(this.dataSource.manager, applicationId);
  }

  /** Opens one stored file for download and audits it; the caller streams it with safe headers. */
  async download(actor: Actor, applicationId: string, attachmentId: string): Promise<AttachmentDownload> {
    return inTransaction(this.dataSource, async (manager) => {
      // The dossier's row lock is the lock every writer of its audit chain takes (a transition
      // appends to the chain holding only that lock); held for this short transaction only.
      await this.accessibleApplication(manager, actor, applicationId, true);
      const attachment = await manager.findOne(Attachment, { where: { id: attachmentId, applicationId } });
      if (!attachment) throw AttachmentErrors.notFound(attachmentId);
      const handle = await open(this.pathOf(attachment.storageKey), 'r').catch(() => {
        throw AttachmentErrors.fileUnavailable(attachmentId);
      });
      try {
        await this.audit.record(manager, actor, {
          action: 'attachment.download',
          objectType: 'application',
          objectId: applicationId,
          summary: { attachmentId, documentCode: attachment.documentCode, version: attachment.version },
        });
      } catch (error) {
        await handle.close();
        throw error;
      }
      return { attachment, stream: handle.createReadStream() };
    });
  }

  /** Document codes with at least one upload; no access check (for the caller's own transaction). */
  async presentDocumentCodes(manager: EntityManager, applicationId: string): Promise<Set<string>> {
    const rows: { document_code: string }[] = await manager.query(
      'SELECT DISTINCT document_code FROM attachment WHERE application_id = $1',
      [applicationId],
    );
    return new Set(rows.map((row) => row.document_code));
  }

  /** Every attachment of a dossier, oldest round first; no access check (for the caller's own transaction). */
  listForApplication(manager: EntityManager, applicationId: string): Promise<Attachment[]> {
    return manager.find(Attachment, { where: { applicationId }, order: { round: 'ASC', documentCode: 'ASC', version: 'ASC' } });
  }

  private pathOf(storageKey: string): string {
    return join(this.config.dataDir, storageKey);
  }

  /**
   * The same scope as ApplicationsService.getAccessible (ApplicationPolicy); not injected from it
   * because ApplicationsService depends on this service.
   */
  private async accessibleApplication(manager: EntityManager, actor: Actor, id: string, lock: boolean): Promise<Application> {
    const query = manager.createQueryBuilder(Application, 'a').where('a.id = :id', { id });
    ApplicationPolicy.scope(actor, query, 'a');
    if (lock) query.setLock('pessimistic_write');
    const application = await query.getOne();
    if (!application) throw ApplicationErrors.notFound(id);
    return application;
  }

  private async applicationForUpload(
    manager: EntityManager,
    actor: Actor,
    id: string,
    lock: boolean,
  ): Promise<{ application: Application; call: Call }> {
    const application = await this.accessibleApplication(manager, actor, id, lock);
    const call = await manager.findOne(Call, { where: { id: application.callId } });
    if (!call) throw ApplicationErrors.callNotFound(application.callId);
    return { application, call };
  }

  /** Who may upload which document when; returns the checked code. */
  private checkMayUpload(actor: Actor, application: Application, call: Call, documentCode: string | undefined): string {
    const code = documentCode?.trim() ?? '';
    if (actor.role === 'applicant') {
      const allowed = [...call.requiredDocuments.map((document) => document.code).filter((c) => !(c in STAFF_DOCUMENTS)), OTHER_DOCUMENT];
      if (!allowed.includes(code)) throw AttachmentErrors.invalidDocumentCode(code, allowed);
      if (!APPLICANT_STAGES.includes(application.stage)) throw AttachmentErrors.stageClosed(application.stage);
      return code;
    }
    const rule = Object.hasOwn(STAFF_DOCUMENTS, code) ? STAFF_DOCUMENTS[code] : undefined;
    if (!rule) {
      throw AttachmentErrors.invalidDocumentCode(
        code,
        Object.keys(STAFF_DOCUMENTS).filter((c) => STAFF_DOCUMENTS[c][actor.role]),
      );
    }
    const stages = rule[actor.role];
    if (!stages) throw AttachmentErrors.uploadForbidden(code);
    if (!stages.includes(application.stage)) throw AttachmentErrors.stageClosed(application.stage);
    return code;
  }
}
