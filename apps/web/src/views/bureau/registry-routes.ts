import type { RouteRecordRaw } from 'vue-router';

/** The registry, targets and calendar are read by bureau officers and admins (the API lets both write the registry). */
const roles = ['bureau_officer', 'admin'] as const;
/** GET /notifications/deliveries and the retry are the admins' (the API refuses bureau officers). */
const adminOnly = ['admin'] as const;

/** The bureau's registry, targets, calendar and dead-mail screens (owned by the registry helper); spread into routes.ts. */
export const registryRoutes: RouteRecordRaw[] = [
  {
    path: '/bureau/registry',
    name: 'bureau-registry',
    component: () => import('./registry/RegistryView.vue'),
    meta: { roles, menu: 'bureau.registry.menu.registry' },
  },
  {
    path: '/bureau/registry/:id',
    name: 'bureau-platform',
    component: () => import('./registry/PlatformDetail.vue'),
    props: true,
    meta: { roles },
  },
  {
    path: '/bureau/targets',
    name: 'bureau-targets',
    component: () => import('./registry/TargetsView.vue'),
    meta: { roles, menu: 'bureau.registry.menu.targets' },
  },
  {
    path: '/bureau/calendar',
    name: 'bureau-calendar',
    component: () => import('./registry/CalendarView.vue'),
    meta: { roles, menu: 'bureau.registry.menu.calendar' },
  },
  {
    path: '/bureau/dead-mails',
    name: 'bureau-dead-mails',
    component: () => import('./registry/DeadMailsView.vue'),
    meta: { roles: adminOnly, menu: 'bureau.registry.menu.deadMails' },
  },
];
