import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { SignedHead } from './audit-chain';

/**
 * A signed checkpoint of every stream's head: the heads that changed since the previous checkpoint,
 * chained by MAC to it. Append-only like audit_event (migration AuditKeyedChain1796000004000).
 */
@Entity({ name: 'audit_checkpoint' })
export class AuditCheckpoint {
  @PrimaryColumn({ type: 'int' })
  seq: number;

  @Column({ name: 'prev_mac', type: 'varchar', length: 64, nullable: true })
  prevMac: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'jsonb' })
  heads: SignedHead[];

  @Column({ type: 'varchar', length: 64 })
  mac: string;
}
