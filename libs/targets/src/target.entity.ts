import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { decimal } from '@app/registry';
import type { TargetDefinition } from './target-definition';

/** A target of the plan: what to count (the definition) and how to name it. Values live in revisions. */
@Entity({ name: 'target' })
export class Target {
  @PrimaryColumn({ type: 'varchar', length: 48 })
  code: string;

  @Column({ name: 'name_zh', type: 'varchar', length: 100 })
  nameZh: string;

  @Column({ name: 'name_en', type: 'varchar', length: 200 })
  nameEn: string;

  @Column({ name: 'unit_zh', type: 'varchar', length: 16 })
  unitZh: string;

  @Column({ type: 'jsonb' })
  definition: TargetDefinition;

  @Column({ name: 'sort_order', type: 'int' })
  sortOrder: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/**
 * A value and due date for a target, with its source document, in force from a day on. A new
 * revision never changes what earlier days show: progress as of a day uses the revision then in force.
 */
@Entity({ name: 'target_revision' })
@Index('IDX_target_revision_code_effective', ['targetCode', 'effectiveFrom'])
export class TargetRevision {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @ManyToOne(() => Target, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'target_code' })
  target?: Target;

  @Column({ name: 'target_code', type: 'varchar', length: 48 })
  targetCode: string;

  @Column({ type: 'numeric', precision: 16, scale: 2, transformer: decimal })
  value: number;

  @Column({ name: 'due_on', type: 'date' })
  dueOn: string;

  @Column({ name: 'source_document_number', type: 'varchar', length: 100 })
  sourceDocumentNumber: string;

  @Column({ name: 'source_document_date', type: 'date' })
  sourceDocumentDate: string;

  @Column({ name: 'effective_from', type: 'date' })
  effectiveFrom: string;

  @Column({ type: 'text', nullable: true })
  note: string | null;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
