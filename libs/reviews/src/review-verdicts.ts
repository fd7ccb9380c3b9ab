import { Injectable, type OnModuleInit } from '@nestjs/common';
import { StageVerdicts } from '@app/database';
import { ReviewsService } from './reviews.service';

/** The review results this lib answers for: the transition `record_expert_result` records the closed panel's aggregate. */
@Injectable()
export class ReviewVerdicts implements OnModuleInit {
  constructor(
    private readonly verdicts: StageVerdicts,
    private readonly reviews: ReviewsService,
  ) {}

  onModuleInit(): void {
    this.verdicts.register('reviews', ['record_expert_result'], (manager, applicationId) =>
      this.reviews.panelVerdict(manager, applicationId),
    );
  }
}
