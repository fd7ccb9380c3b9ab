export * from './data-source-options';
export * from './database.module';
export * from './embedded-postgres';
export * from './migrations';
export * from './transaction';
export * from './stage-verdicts';
export * from './transition-effects';
