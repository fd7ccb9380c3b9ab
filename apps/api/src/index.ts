export * from './api.module';
export * from './http-app';
export * from './listen';
export * from './openapi';
export * from './notices/notice-procedure';
export * from './reviews/reviews-demo';
