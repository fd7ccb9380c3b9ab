import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { AvoidanceRule } from './avoidance';
import type { Rubric } from './rubric';

export type PanelStatus = 'open' | 'closed';

/** What an assigned expert is told about the dossier before declaring: enough to recognise a conflict. */
export interface PanelDossierLabel {
  number: string | null;
  name: string;
  applicantName: string;
  platformType: string;
}

export interface PanelOverride {
  expertId: string;
  reason: string;
  /** The findings waived for this expert when drawn; empty when the expert was not drawn or had none. */
  waived: AvoidanceRule[];
}

/** A redraw of a panel's vacant seats: its own seed, recorded and published like the first draw's. */
export interface PanelRedraw {
  seed: string;
  drawnAt: string;
  drawnBy: string;
  members: string[];
  reserves: string[];
}

/**
 * An expert panel for one review round of a dossier: the seed that drew it, the rubric it scores
 * by, open until the bureau closes it (or the next round's panel is drawn). At most one is open per dossier.
 */
@Entity({ name: 'review_panel' })
@Index('UQ_review_panel_open_application', ['applicationId'], { unique: true, where: `status = 'open'` })
@Index('IDX_review_panel_call', ['callId'])
@Index('IDX_review_panel_organisation', ['organisationId'])
@Index('IDX_review_panel_application', ['applicationId', 'round', 'drawnAt'])
export class Panel {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'application_id', type: 'uuid' })
  applicationId: string;

  @Column({ name: 'call_id', type: 'uuid' })
  callId: string;

  /**
   * The dossier's review round when drawn (application.round): a dossier returned and resubmitted
   * comes back in a new round and needs a new panel; earlier rounds' panels stay as history.
   */
  @Column({ type: 'int' })
  round: number;

  /** The applicant, for the rule on panels with the same applicant within N years. */
  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  @Column({ type: 'jsonb' })
  dossier: PanelDossierLabel;

  /** Published with the draw: with the same pool, the same seed draws the same panel. */
  @Column({ type: 'varchar', length: 128 })
  seed: string;

  /** The rubric as it was when drawn: later edits of the call's rubric do not move a running panel. */
  @Column({ type: 'jsonb' })
  rubric: Rubric;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  overrides: PanelOverride[];

  /** Redraws of vacant seats, in order. */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  redraws: PanelRedraw[];

  @Column({ type: 'varchar', length: 16, default: 'open' })
  status: PanelStatus;

  @Column({ name: 'drawn_at', type: 'timestamptz' })
  drawnAt: Date;

  @Column({ name: 'drawn_by', type: 'uuid' })
  drawnBy: string;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt: Date | null;

  @Column({ name: 'closed_by', type: 'uuid', nullable: true })
  closedBy: string | null;
}
