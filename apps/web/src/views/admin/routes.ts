import type { RouteRecordRaw } from 'vue-router';

const roles = ['admin'] as const;

export const adminRoutes: RouteRecordRaw[] = [
  { path: '/admin', name: 'admin-home', component: () => import('./AdminHome.vue'), meta: { roles, menu: 'admin.overview' } },
  { path: '/admin/users', name: 'admin-users', component: () => import('./UsersView.vue'), meta: { roles, menu: 'admin.users' } },
  {
    path: '/admin/organisations',
    name: 'admin-organisations',
    component: () => import('./OrganisationsView.vue'),
    meta: { roles, menu: 'admin.organisations' },
  },
  { path: '/admin/audit', name: 'admin-audit', component: () => import('./AuditView.vue'), meta: { roles, menu: 'admin.audit' } },
];
