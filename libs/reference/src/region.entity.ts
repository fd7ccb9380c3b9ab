import { Column, Entity, PrimaryColumn } from 'typeorm';

export type RegionKind = 'county' | 'zone';

/** A county-level unit (县、市、区) or a functional zone that recommends like one (DOMAIN.md §3). */
@Entity({ name: 'region' })
export class Region {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  code: string;

  @Column({ name: 'name_zh', type: 'varchar', length: 64 })
  nameZh: string;

  @Column({ name: 'name_en', type: 'varchar', length: 128 })
  nameEn: string;

  @Column({ type: 'varchar', length: 16 })
  kind: RegionKind;

  /** For zones: the county their platforms count toward in county coverage. */
  @Column({ name: 'parent_county_code', type: 'varchar', length: 32, nullable: true })
  parentCountyCode: string | null;

  /** Parent county not yet confirmed by the bureau (温州海经区). */
  @Column({ name: 'parent_provisional', type: 'boolean', default: false })
  parentProvisional: boolean;

  /** One of the five mountain counties (山区5县), where lower thresholds may apply. */
  @Column({ type: 'boolean', default: false })
  mountain: boolean;

  @Column({ name: 'valid_from', type: 'date' })
  validFrom: string;

  @Column({ name: 'valid_to', type: 'date', nullable: true })
  validTo: string | null;

  @Column({ name: 'sort_order', type: 'int' })
  sortOrder: number;
}
