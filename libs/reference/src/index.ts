export * from './industry.entity';
export * from './platform-types';
export * from './reference.module';
export * from './reference.service';
export * from './region.entity';
