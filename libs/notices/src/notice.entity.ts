import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type NoticeStatus = 'open' | 'closed';

/** A public notice (公示): a list of a call's candidates, published for N working days, then closed by its timer. */
@Entity({ name: 'notice' })
@Index('IDX_notice_call', ['callId'])
@Index('IDX_notice_status', ['status', 'closesAt'])
export class Notice {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'call_id', type: 'uuid' })
  callId: string;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  /** Working days of the period (the call's `public_notice` duration). */
  @Column({ type: 'integer' })
  days: number;

  /** First and last working day of the period, Asia/Shanghai, YYYY-MM-DD. */
  @Column({ name: 'first_day', type: 'date' })
  firstDay: string;

  @Column({ name: 'last_day', type: 'date' })
  lastDay: string;

  /** The end of the last working day (24:00 Beijing time): objections until then, the close from then. */
  @Column({ name: 'closes_at', type: 'timestamptz' })
  closesAt: Date;

  @Column({ type: 'varchar', length: 16, default: 'open' })
  status: NoticeStatus;

  @Column({ name: 'published_by', type: 'uuid' })
  publishedBy: string;

  @Column({ name: 'published_at', type: 'timestamptz' })
  publishedAt: Date;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt: Date | null;
}
