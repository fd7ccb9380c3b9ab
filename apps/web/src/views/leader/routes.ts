import type { RouteRecordRaw } from 'vue-router';

const roles = ['leader'] as const;

export const leaderRoutes: RouteRecordRaw[] = [
  { path: '/leader', name: 'leader-home', component: () => import('./LeaderHome.vue'), meta: { roles, menu: 'roles.leader' } },
];
