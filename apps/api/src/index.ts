export * from './api.module';
export * from './http-app';
export * from './listen';
export * from './reviews/reviews-demo';
