import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Industry } from './industry.entity';
import { ReferenceService } from './reference.service';
import { Region } from './region.entity';

@Module({
  imports: [TypeOrmModule.forFeature([Region, Industry])],
  providers: [ReferenceService],
  exports: [ReferenceService],
})
export class ReferenceModule {}
