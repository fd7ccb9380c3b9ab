import type { RouteRecordRaw } from 'vue-router';

const roles = ['applicant'] as const;

export const applicantRoutes: RouteRecordRaw[] = [
  { path: '/applicant', name: 'applicant-home', component: () => import('./ApplicantHome.vue'), meta: { roles, menu: 'roles.applicant' } },
];
