import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { decimal } from '@app/registry';

/** One of the plan's nine city-wide indicators (九大重点科技创新指标); recorded, not computed. */
@Entity({ name: 'city_indicator' })
export class CityIndicator {
  @PrimaryColumn({ type: 'varchar', length: 48 })
  code: string;

  @Column({ name: 'name_zh', type: 'varchar', length: 100 })
  nameZh: string;

  @Column({ name: 'name_en', type: 'varchar', length: 200 })
  nameEn: string;

  @Column({ type: 'varchar', length: 16 })
  unit: string;

  @Column({ name: 'sort_order', type: 'int' })
  sortOrder: number;
}

/** The plan's value for a year (2022 is the baseline). */
@Entity({ name: 'city_indicator_milestone' })
export class CityIndicatorMilestone {
  @PrimaryColumn({ name: 'indicator_code', type: 'varchar', length: 48 })
  indicatorCode: string;

  @PrimaryColumn({ type: 'int' })
  year: number;

  @ManyToOne(() => CityIndicator, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'indicator_code' })
  indicator?: CityIndicator;

  @Column({ type: 'numeric', precision: 16, scale: 2, transformer: decimal })
  value: number;

  @Column({ name: 'source_document_number', type: 'varchar', length: 100 })
  sourceDocumentNumber: string;
}

/** The value the bureau recorded for a year. */
@Entity({ name: 'city_indicator_value' })
export class CityIndicatorValue {
  @PrimaryColumn({ name: 'indicator_code', type: 'varchar', length: 48 })
  indicatorCode: string;

  @PrimaryColumn({ type: 'int' })
  year: number;

  @ManyToOne(() => CityIndicator, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'indicator_code' })
  indicator?: CityIndicator;

  @Column({ type: 'numeric', precision: 16, scale: 2, transformer: decimal })
  value: number;

  @Column({ name: 'entered_by', type: 'uuid', nullable: true })
  enteredBy: string | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
