import type { RouteRecordRaw } from 'vue-router';

const roles = ['county_officer'] as const;

export const countyRoutes: RouteRecordRaw[] = [
  { path: '/county', name: 'county-home', component: () => import('./CountyWorklist.vue'), meta: { roles, menu: 'county.worklist' } },
  { path: '/county/dossiers/:id', name: 'county-dossier', component: () => import('./CountyDossier.vue'), meta: { roles }, props: true },
];
