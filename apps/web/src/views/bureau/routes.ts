import type { RouteRecordRaw } from 'vue-router';
import { registryRoutes } from './registry-routes';

const roles = ['bureau_officer'] as const;

/** The procedure screens (dossiers, calls, notices); the registry helper's screens come from registry-routes.ts. */
export const bureauRoutes: RouteRecordRaw[] = [
  { path: '/bureau', name: 'bureau-home', component: () => import('./BureauDossiers.vue'), meta: { roles, menu: 'bureau.menu.dossiers' } },
  { path: '/bureau/dossiers/:id', name: 'bureau-dossier', component: () => import('./BureauDossier.vue'), meta: { roles }, props: true },
  { path: '/bureau/calls', name: 'bureau-calls', component: () => import('./CallsView.vue'), meta: { roles, menu: 'bureau.menu.calls' } },
  { path: '/bureau/calls/:id', name: 'bureau-call', component: () => import('./CallDetail.vue'), meta: { roles }, props: true },
  {
    path: '/bureau/notices',
    name: 'bureau-notices',
    component: () => import('./BureauNotices.vue'),
    meta: { roles, menu: 'bureau.menu.notices' },
  },
  ...registryRoutes,
];
