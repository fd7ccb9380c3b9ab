export * from './clock';
export * from './common.module';
export * from './domain-error';
export * from './error-body';
export * from './error.filter';
export * from './logging';
export * from './pagination';
export * from './validation';
