import type { INestApplicationContext } from '@nestjs/common';
import type { Actor } from '@app/identity';
import { ReviewsService } from '@app/reviews';
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
    await reviews.closePanel(bureau, applicationId);
  };
}
