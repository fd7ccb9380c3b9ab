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

  /**
   * Other names the region goes by in documents and spreadsheets (the seed plan's 温州高新区〈经开区〉,
   * former names such as 浙南产业集聚区, short names such as 瑞安), accepted wherever a region name is read.
   */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  aliases: string[];

  @Column({ name: 'valid_from', type: 'date' })
  validFrom: string;

  @Column({ name: 'valid_to', type: 'date', nullable: true })
  validTo: string | null;

  @Column({ name: 'sort_order', type: 'int' })
  sortOrder: number;
}

/**
 * The form of a region name that lookups compare: no spaces, and the brackets documents use around a
 * zone's second name (〈〉, (), <>, 《》) all written as full-width （）. `温州高新区〈经开区〉` and
 * `温州高新区(经开区)` are one name.
 */
export function regionNameKey(raw: string): string {
  return raw
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/[〈<《(]/g, '（')
    .replace(/[〉>》)]/g, '）');
}
