export * from './notification-delivery.entity';
export * from './notifications.service';
export * from './outbox.constants';
export * from './outbox.entity';
export * from './template-renderer';
export * from './templates';
export * from './notifications.module';
export * from './timer.entity';
