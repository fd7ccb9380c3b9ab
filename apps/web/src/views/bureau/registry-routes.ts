import type { RouteRecordRaw } from 'vue-router';

/** The bureau's registry, targets, calendar and dead-mail screens (owned by the registry helper); spread into routes.ts. */
export const registryRoutes: RouteRecordRaw[] = [];
