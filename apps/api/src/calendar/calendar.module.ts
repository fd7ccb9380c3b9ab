import { Module } from '@nestjs/common';
import { CalendarModule } from '@app/common';
import { CalendarController } from './calendar.controller';

@Module({
  imports: [CalendarModule],
  controllers: [CalendarController],
})
export class CalendarApiModule {}
