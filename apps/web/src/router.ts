import { type RouteRecordRaw, createRouter, createWebHistory } from 'vue-router';
import type { Role } from './stores/session';
import { useSession } from './stores/session';
import { adminRoutes } from './views/admin/routes';
import { applicantRoutes } from './views/applicant/routes';
import { bureauRoutes } from './views/bureau/routes';
import { countyRoutes } from './views/county/routes';
import { expertRoutes } from './views/expert/routes';
import { leaderRoutes } from './views/leader/routes';
import { publicRoutes } from './views/public/routes';
import { teamRoutes } from './views/team/routes';

declare module 'vue-router' {
  interface RouteMeta {
    /** Who may open the screen; absent: anyone, signed in or not. */
    roles?: readonly Role[];
    /** The i18n key of the screen's entry in the side menu; absent: not in the menu. */
    menu?: string;
  }
}

/** Where each role lands after signing in. */
export const HOME_BY_ROLE: Record<Role, string> = {
  applicant: '/applicant',
  county_officer: '/county',
  bureau_officer: '/bureau',
  expert: '/expert',
  leader: '/leader',
  admin: '/admin',
};

/** Where a dossier is read, by role: a mail's link names the dossier (`/dossiers/:id`) whoever reads it. */
const DOSSIER_BY_ROLE: Partial<Record<Role, string>> = {
  applicant: '/applicant/dossiers/',
  county_officer: '/county/dossiers/',
  bureau_officer: '/bureau/dossiers/',
};

const routes: RouteRecordRaw[] = [
  { path: '/', name: 'home', component: () => import('./views/HomeView.vue') },
  {
    path: '/dossiers/:id',
    name: 'dossier-link',
    component: () => import('./views/HomeView.vue'),
    meta: { roles: ['applicant', 'county_officer', 'bureau_officer', 'expert', 'leader', 'admin'] },
    // The global guard has signed the reader in (or sent them to sign in, and back here).
    beforeEnter: (to) => {
      const role = useSession().role;
      const base = role ? DOSSIER_BY_ROLE[role] : undefined;
      return base ? `${base}${String(to.params.id)}` : role ? HOME_BY_ROLE[role] : { name: 'login' };
    },
  },
  { path: '/login', name: 'login', component: () => import('./views/LoginView.vue') },
  ...publicRoutes,
  ...applicantRoutes,
  ...countyRoutes,
  ...bureauRoutes,
  ...expertRoutes,
  ...leaderRoutes,
  ...adminRoutes,
  ...teamRoutes,
  { path: '/:rest(.*)*', name: 'not-found', component: () => import('./views/NotFoundView.vue') },
];

export const router = createRouter({ history: createWebHistory('/app/'), routes });

router.beforeEach(async (to) => {
  const roles = to.meta.roles;
  if (!roles) return true;
  const session = useSession();
  if (!(await session.load())) return { name: 'login', query: { next: to.fullPath } };
  const role = session.role;
  if (role && roles.includes(role)) return true;
  return role ? HOME_BY_ROLE[role] : { name: 'login' };
});
