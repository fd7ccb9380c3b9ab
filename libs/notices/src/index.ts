export * from './notice-candidate.entity';
export * from './notice.entity';
export * from './notices.errors';
export * from './notices.module';
export * from './notices.service';
export * from './objection.entity';
