import type { RouteRecordRaw } from 'vue-router';

/** The members of an inspection team: county officers and experts sign here; bureau officers may too. */
const roles = ['county_officer', 'expert', 'bureau_officer'] as const;

export const teamRoutes: RouteRecordRaw[] = [
  { path: '/inspections', name: 'team-inspections', component: () => import('./InspectionsView.vue'), meta: { roles, menu: 'team.menu' } },
  {
    path: '/inspections/:id',
    name: 'team-inspection',
    component: () => import('./InspectionView.vue'),
    props: true,
    meta: { roles },
  },
];
