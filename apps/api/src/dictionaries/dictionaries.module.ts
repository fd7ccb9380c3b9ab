import { Module } from '@nestjs/common';
import { ReferenceModule } from '@app/reference';
import { DictionariesController } from './dictionaries.controller';

@Module({
  imports: [ReferenceModule],
  controllers: [DictionariesController],
})
export class DictionariesModule {}
