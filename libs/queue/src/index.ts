export * from './queue-backend';
export * from './queue-names';
export * from './queue.module';
export * from './queue-errors';
