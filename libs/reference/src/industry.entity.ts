import { Column, Entity, PrimaryColumn } from 'typeorm';

export type IndustryGroup = 'traditional' | 'emerging' | 'frontier';

/** An industry of the "5+5" (plus "+N" frontier fields added as data), DOMAIN.md §4. */
@Entity({ name: 'industry' })
export class Industry {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  code: string;

  @Column({ name: 'name_zh', type: 'varchar', length: 64 })
  nameZh: string;

  @Column({ name: 'name_en', type: 'varchar', length: 128 })
  nameEn: string;

  @Column({ name: 'industry_group', type: 'varchar', length: 16 })
  group: IndustryGroup;

  /** Counts toward the "5+5" coverage target. */
  @Column({ name: 'in_five_plus_five', type: 'boolean', default: false })
  inFivePlusFive: boolean;

  @Column({ name: 'valid_from', type: 'date' })
  validFrom: string;

  @Column({ name: 'valid_to', type: 'date', nullable: true })
  validTo: string | null;

  @Column({ name: 'sort_order', type: 'int' })
  sortOrder: number;
}
