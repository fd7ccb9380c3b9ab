import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '@app/audit';
import { TransitionEffectsModule } from '@app/database';
import { User } from '@app/identity';
import { NotificationsModule } from '@app/notifications';
import { Assignment } from './assignment.entity';
import { CallRubric } from './call-rubric.entity';
import { ExpertProfile } from './expert-profile.entity';
import { Inspection } from './inspection.entity';
import { InspectionsService } from './inspections.service';
import { Panel } from './panel.entity';
import { ReviewRemindersModule } from './review-reminders';
import { ReviewVerdicts } from './review-verdicts';
import { ReviewsService } from './reviews.service';
import { Score } from './score.entity';

@Module({
  imports: [
    TypeOrmModule.forFeature([ExpertProfile, CallRubric, Panel, Assignment, Score, Inspection, User]),
    AuditModule,
    TransitionEffectsModule,
    NotificationsModule,
    ReviewRemindersModule,
  ],
  providers: [ReviewsService, InspectionsService, ReviewVerdicts],
  exports: [ReviewsService, InspectionsService],
})
export class ReviewsModule {}
