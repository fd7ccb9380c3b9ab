import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Platform } from './platform.entity';
import type { ChangeField } from './registry.types';

/** A reported change (变更) of name, operator, site or area, with the day it took effect. */
@Entity({ name: 'platform_change' })
@Index('IDX_platform_change_platform', ['platformId', 'changedOn'])
export class PlatformChange {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @ManyToOne(() => Platform, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'platform_id' })
  platform?: Platform;

  @Column({ name: 'platform_id', type: 'uuid' })
  platformId: string;

  @Column({ type: 'varchar', length: 16 })
  field: ChangeField;

  @Column({ name: 'old_value', type: 'text', nullable: true })
  oldValue: string | null;

  @Column({ name: 'new_value', type: 'text' })
  newValue: string;

  @Column({ name: 'changed_on', type: 'date' })
  changedOn: string;

  @Column({ name: 'document_number', type: 'varchar', length: 100, nullable: true })
  documentNumber: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
