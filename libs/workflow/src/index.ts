export * from './decide';
export * from './definitions';
export * from './workflow.types';
export * from './stage-labels';
export * from './effects';
