import type { RouteRecordRaw } from 'vue-router';

const roles = ['bureau_officer'] as const;

export const bureauRoutes: RouteRecordRaw[] = [
  { path: '/bureau', name: 'bureau-home', component: () => import('./BureauHome.vue'), meta: { roles, menu: 'roles.bureau_officer' } },
];
