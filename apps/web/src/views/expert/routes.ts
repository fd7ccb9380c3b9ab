import type { RouteRecordRaw } from 'vue-router';

const roles = ['expert'] as const;

export const expertRoutes: RouteRecordRaw[] = [
  { path: '/expert', name: 'expert-home', component: () => import('./ExpertHome.vue'), meta: { roles, menu: 'expert.assignments' } },
  {
    path: '/expert/assignments/:id',
    name: 'expert-assignment',
    component: () => import('./AssignmentView.vue'),
    props: true,
    meta: { roles },
  },
];
