import type { RouteRecordRaw } from 'vue-router';

const roles = ['leader'] as const;
/** The dashboard reads GET /targets/progress and GET /indicators, open to these roles (as the old /dashboard page was). */
const dashboardRoles = ['leader', 'bureau_officer', 'admin'] as const;

export const leaderRoutes: RouteRecordRaw[] = [
  {
    path: '/leader',
    name: 'leader-dashboard',
    component: () => import('./DashboardView.vue'),
    meta: { roles: dashboardRoles, menu: 'leader.dashboard' },
  },
  {
    path: '/leader/sign-offs',
    name: 'leader-sign-offs',
    component: () => import('./SignOffsView.vue'),
    meta: { roles, menu: 'leader.signOffs' },
  },
];
