import type { RouteRecordRaw } from 'vue-router';

/** The visitor's screens: notices and objections, registration, and the screens the account mails link to. */
export const publicRoutes: RouteRecordRaw[] = [
  { path: '/notices', name: 'notices', component: () => import('./NoticesView.vue') },
  { path: '/notices/:id', name: 'notice', component: () => import('./NoticeDetailView.vue') },
  { path: '/register', name: 'register', component: () => import('./RegisterView.vue') },
  { path: '/account/forgot', name: 'forgot-password', component: () => import('./ForgotPasswordView.vue') },
  // The links of the account mails (libs/notifications/src/templates/account.templates.ts).
  { path: '/account/reset', name: 'set-password', component: () => import('./SetPasswordView.vue') },
  { path: '/account/verify-email', name: 'verify-email', component: () => import('./VerifyEmailView.vue') },
];
