import type { RouteRecordRaw } from 'vue-router';

const roles = ['county_officer'] as const;

export const countyRoutes: RouteRecordRaw[] = [
  { path: '/county', name: 'county-home', component: () => import('./CountyHome.vue'), meta: { roles, menu: 'roles.county_officer' } },
];
