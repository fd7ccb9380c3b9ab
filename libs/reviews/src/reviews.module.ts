import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@app/audit';
import { TransitionEffectsModule } from '@app/database';
import { User } from '@app/identity';
import { Assignment } from './assignment.entity';
import { CallRubric } from './call-rubric.entity';
import { ExpertProfile } from './expert-profile.entity';
import { Panel } from './panel.entity';
import { ReviewVerdicts } from './review-verdicts';
import { ReviewsService } from './reviews.service';
import { Score } from './score.entity';

@Module({
  imports: [TypeOrmModule.forFeature([ExpertProfile, CallRubric, Panel, Assignment, Score, User]), AuditModule, TransitionEffectsModule],
  providers: [ReviewsService, ReviewVerdicts],
  exports: [ReviewsService],
})
export class ReviewsModule {}
