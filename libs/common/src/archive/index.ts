export * from './ooxml';
export * from './zip-inspection';
