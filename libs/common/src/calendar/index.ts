export * from './calendar-date';
export * from './calendar-day.entity';
export * from './calendar.errors';
export * from './calendar.module';
export * from './calendar.service';
export * from './official-days';
export * from './working-day-calendar';
