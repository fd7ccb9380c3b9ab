export * from './aggregation';
export * from './avoidance';
export * from './draw';
export * from './rubric';
export * from './seeded-random';
