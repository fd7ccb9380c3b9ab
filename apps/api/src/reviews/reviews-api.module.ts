import { Module } from '@nestjs/common';
import { ApplicationsModule } from '@app/applications';
import { IdentityModule } from '@app/identity';
import { ReviewsModule } from '@app/reviews';
import { AssignmentsController } from './assignments.controller';
import { ExpertsController } from './experts.controller';
import { InspectionsController } from './inspections.controller';
import { MyInspectionsController } from './my-inspections.controller';
import { CallPanelsController, PanelsController } from './panels.controller';
import { ReviewDossiers } from './review-dossiers';
import { RubricsController } from './rubrics.controller';

@Module({
  imports: [ReviewsModule, ApplicationsModule, IdentityModule],
  controllers: [
    ExpertsController,
    RubricsController,
    PanelsController,
    CallPanelsController,
    AssignmentsController,
    InspectionsController,
    MyInspectionsController,
  ],
  providers: [ReviewDossiers],
})
export class ReviewsApiModule {}
