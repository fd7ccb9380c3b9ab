import { Module } from '@nestjs/common';
import { IdentityModule } from '@app/identity';
import { OrganisationsController } from './organisations.controller';

@Module({
  imports: [IdentityModule],
  controllers: [OrganisationsController],
})
export class OrganisationsApiModule {}
