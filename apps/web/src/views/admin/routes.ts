import type { RouteRecordRaw } from 'vue-router';

const roles = ['admin'] as const;

export const adminRoutes: RouteRecordRaw[] = [
  { path: '/admin', name: 'admin-home', component: () => import('./AdminHome.vue'), meta: { roles, menu: 'roles.admin' } },
];
