import type { RouteRecordRaw } from 'vue-router';

export const publicRoutes: RouteRecordRaw[] = [{ path: '/notices', name: 'notices', component: () => import('./NoticesView.vue') }];
