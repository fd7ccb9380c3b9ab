import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Last number given per prefix and year, for readable dossier numbers (WZ-INC-2027-0042). */
@Entity({ name: 'application_number_counter' })
export class ApplicationNumberCounter {
  @PrimaryColumn({ type: 'varchar', length: 16 })
  prefix: string;

  @PrimaryColumn({ type: 'int' })
  year: number;

  @Column({ name: 'last_value', type: 'int' })
  lastValue: number;
}
