import { Injectable, type OnModuleInit } from '@nestjs/common';
import { StageVerdicts } from '@app/database';
import { InspectionsService } from './inspections.service';
import { ReviewsService } from './reviews.service';

/**
 * The review results this lib answers for: `record_expert_result` records the aggregate of the
 * round's closed panel, `record_inspection` the result of the round's signed inspection.
 */
@Injectable()
export class ReviewVerdicts implements OnModuleInit {
  constructor(
    private readonly verdicts: StageVerdicts,
    private readonly reviews: ReviewsService,
    private readonly inspections: InspectionsService,
  ) {}

  onModuleInit(): void {
    this.verdicts.register('reviews', ['record_expert_result'], (manager, applicationId, round) =>
      this.reviews.panelVerdict(manager, applicationId, round),
    );
    this.verdicts.register('inspections', ['record_inspection'], (manager, applicationId, round) =>
      this.inspections.inspectionVerdict(manager, applicationId, round),
    );
  }
}
