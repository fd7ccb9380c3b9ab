import type { SelectQueryBuilder } from 'typeorm';
import type { Actor, Role } from '@app/identity';
import type { Platform } from './platform.entity';

/** Who may read the registry: the bureau, leaders, admins, and county officers for their own county. */
export const REGISTRY_READERS: Role[] = ['admin', 'bureau_officer', 'leader', 'county_officer'];
/** Who maintains it: imports, evaluations, revocations, changes. */
export const REGISTRY_WRITERS: Role[] = ['admin', 'bureau_officer'];

/**
 * Object-level access to platforms, decided here only. A county officer sees the platforms of
 * their county or zone, and a county officer also those of its zones (they count toward it).
 * Applicants see their own organisation's platforms (to file annual reports). Others see nothing.
 */
export const PlatformPolicy = {
  scope(actor: Actor, query: SelectQueryBuilder<Platform>, alias: string): SelectQueryBuilder<Platform> {
    switch (actor.role) {
      case 'admin':
      case 'bureau_officer':
      case 'leader':
        return query;
      case 'county_officer':
        return query.andWhere(`(${alias}.region_code = :scopeRegion OR ${alias}.county_code = :scopeRegion)`, {
          scopeRegion: actor.regionCode,
        });
      case 'applicant':
        return query.andWhere(`${alias}.organisation_id = :scopeOrganisation`, { scopeOrganisation: actor.organisationId });
      default:
        return query.andWhere('false');
    }
  },
};
