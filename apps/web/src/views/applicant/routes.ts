import type { RouteRecordRaw } from 'vue-router';

const roles = ['applicant'] as const;

export const applicantRoutes: RouteRecordRaw[] = [
  {
    path: '/applicant',
    name: 'applicant-home',
    component: () => import('./ApplicantHome.vue'),
    meta: { roles, menu: 'applicant.menuHome' },
  },
  {
    path: '/applicant/calls/:callId/new',
    name: 'applicant-dossier-new',
    component: () => import('./DossierEditor.vue'),
    props: true,
    meta: { roles },
  },
  {
    path: '/applicant/dossiers/:id/edit',
    name: 'applicant-dossier-edit',
    component: () => import('./DossierEditor.vue'),
    props: true,
    meta: { roles },
  },
  {
    path: '/applicant/dossiers/:id',
    name: 'applicant-dossier',
    component: () => import('./DossierView.vue'),
    props: true,
    meta: { roles },
  },
  {
    path: '/applicant/organisation',
    name: 'applicant-organisation',
    component: () => import('./OrganisationView.vue'),
    meta: { roles, menu: 'applicant.menuOrganisation' },
  },
];
