export * from './audit-chain';
export * from './audit-checkpoint.entity';
export * from './audit-checkpointer';
export * from './audit-event.entity';
export * from './audit.module';
export * from './audit.service';
