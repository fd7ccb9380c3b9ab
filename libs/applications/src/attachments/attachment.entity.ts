import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One uploaded file of a dossier. Rows are never updated: every upload of the same document code
 * is a new version, and the file itself lives on disk under `DATA_DIR` at `storageKey`.
 */
@Entity({ name: 'attachment' })
@Index('IDX_attachment_application_document', ['applicationId', 'documentCode'])
export class Attachment {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'application_id', type: 'uuid' })
  applicationId: string;

  /** A code of the call's required documents, a staff document (recommendation_letter, site_check) or 'other'. */
  @Column({ name: 'document_code', type: 'varchar', length: 64 })
  documentCode: string;

  /** The dossier's round when the file was uploaded: the timeline shows attachments per round. */
  @Column({ type: 'int' })
  round: number;

  /** 1 for the first upload of this document code in this dossier, +1 for each later one. */
  @Column({ type: 'int' })
  version: number;

  /** The sanitised display name; never used to build a path. */
  @Column({ name: 'file_name', type: 'varchar', length: 255 })
  fileName: string;

  /** Detected from the file's bytes, not taken from the client. */
  @Column({ name: 'content_type', type: 'varchar', length: 100 })
  contentType: string;

  /** bigint: PostgreSQL returns it as a string. */
  @Column({ name: 'size_bytes', type: 'bigint' })
  sizeBytes: string;

  @Column({ type: 'char', length: 64 })
  sha256: string;

  /** Server-made path below DATA_DIR, e.g. `attachments/2027/<uuid>`. */
  @Column({ name: 'storage_key', type: 'varchar', length: 200 })
  storageKey: string;

  @Column({ name: 'uploaded_by', type: 'uuid' })
  uploadedBy: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
