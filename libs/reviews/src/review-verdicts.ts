import { Injectable, type OnModuleInit } from '@nestjs/common';
import { StageVerdicts } from '@app/database';
import { InspectionsService } from './inspections.service';
import { ReviewsService } from './reviews.service';

/**
 * The review results this lib answers for: `record_expert_result` records the closed panel's
 * aggregate, `record_inspection` the signed inspection's result.
 */
@Injectable()
export class ReviewVerdicts implements OnModuleInit {
  constructor(
    private readonly verdicts: StageVerdicts,
    private readonly reviews: ReviewsService,
    private readonly inspections: InspectionsService,
  ) {}

  onModuleInit(): void {
    this.verdicts.register('reviews', ['record_expert_result'], (manager, applicationId) =>
      this.reviews.panelVerdict(manager, applicationId),
    );
    this.verdicts.register('inspections', ['record_inspection'], (manager, applicationId) =>
      this.inspections.inspectionVerdict(manager, applicationId),
    );
  }
}
