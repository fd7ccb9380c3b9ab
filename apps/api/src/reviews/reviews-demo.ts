import type { INestApplicationContext } from '@nestjs/common';
import type { Actor } from '@app/identity';
import { InspectionsService, ReviewsService } from '@app/reviews';
import { ReviewDossiers } from './review-dossiers';

/**
 * For the demo seed (embedded mode only): the expert review of one dossier as the bureau and the
 * demo experts would run it: draw, declarations, scores of `value`, close. The seed then records
 * the closed panel's result through the ordinary transition.
 */
export function demoExpertReview(app: INestApplicationContext) {
  const reviews = app.get(ReviewsService, { strict: false });
  const dossiers = app.get(ReviewDossiers, { strict: false });
  return async (bureau: Actor, applicationId: string, value: number): Promise<void> => {
    const facts = await dossiers.factsFor(bureau, applicationId);
    const drawn = await reviews.drawPanel(bureau, facts, { seed: `demo-${applicationId}` });
    const criteria = drawn.panel.rubric.criteria;
    for (const seat of drawn.seats.filter((s) => s.active)) {
      const expert: Actor = {
        userId: seat.expertId,
        role: 'expert',
        organisationId: null,
        regionCode: null,
        sessionId: 'demo-seed',
        ip: null,
      };
      await reviews.declare(expert, seat.id, false, null);
      await reviews.submitScores(
        expert,
        seat.id,
        criteria.map((c) => ({ criterion: c.code, value: c.min + ((c.max - c.min) * value) / 100 })),
      );
    }
    await reviews.closePanel(bureau, facts);
  };
}

/** For the demo seed: a passed site inspection, every item verified, signed by the bureau officer, the county officer and one expert. */
export function demoSiteInspection(app: INestApplicationContext) {
  const inspections = app.get(InspectionsService, { strict: false });
  const dossiers = app.get(ReviewDossiers, { strict: false });
  const reviews = app.get(ReviewsService, { strict: false });
  return async (bureau: Actor, county: Actor, applicationId: string): Promise<void> => {
    const facts = await dossiers.factsFor(bureau, applicationId);
    const panel = await reviews.panelFor(facts);
    const expertId = panel.seats.find((s) => s.active)!.expertId;
    const expert: Actor = { userId: expertId, role: 'expert', organisationId: null, regionCode: null, sessionId: 'demo-seed', ip: null };
    const created = await inspections.save(
      bureau,
      facts,
      { visitDate: '2027-05-20', team: [{ userId: bureau.userId }, { userId: county.userId }, { userId: expertId }] },
      new Set(),
    );
    await inspections.save(
      bureau,
      facts,
      {
        items: created.checklist.map((item) => ({ code: item.code, status: 'verified' as const, note: '现场核实一致' })),
        result: 'passed',
        resultNote: '场地、在孵企业与申报材料一致。',
      },
      new Set(),
    );
    for (const member of [bureau, county, expert]) await inspections.sign(member, applicationId, facts.round);
  };
}
