import type { SelectQueryBuilder } from 'typeorm';
import type { Organisation } from './organisation.entity';
import type { Actor } from './roles';
import type { User } from './user.entity';

/**
 * Object-level access, decided here and nowhere else. Each policy narrows a query to what the
 * actor may see; the services load single objects through the same narrowed query, so an object
 * outside the caller's scope is simply not found (404). Roles without a rule see nothing.
 */
export const OrganisationPolicy = {
  scope(actor: Actor, query: SelectQueryBuilder<Organisation>, alias: string): SelectQueryBuilder<Organisation> {
    switch (actor.role) {
      case 'admin':
      case 'bureau_officer':
      case 'leader':
        return query;
      case 'county_officer':
        return query.andWhere(`${alias}.region_code = :scopeRegion`, { scopeRegion: actor.regionCode });
      case 'applicant':
        return query.andWhere(`${alias}.id = :scopeOrganisation`, { scopeOrganisation: actor.organisationId });
      default:
        return query.andWhere('false');
    }
  },

  /** Fields an applicant may change on its own organisation; the rest is the bureau's. */
  editableByApplicant: new Set(['name', 'industryCodes', 'address', 'contactName', 'contactPhone', 'contactEmail']),
};

export const UserPolicy = {
  scope(actor: Actor, query: SelectQueryBuilder<User>, alias: string): SelectQueryBuilder<User> {
    switch (actor.role) {
      case 'admin':
      case 'bureau_officer':
      case 'leader':
        return query;
      case 'county_officer':
        // Applicants of organisations in the officer's county or zone, and the officer.
        return query.andWhere(
          `(${alias}.id = :scopeSelf OR ${alias}.organisation_id IN (SELECT o.id FROM organisation o WHERE o.region_code = :scopeRegion))`,
          { scopeSelf: actor.userId, scopeRegion: actor.regionCode },
        );
      case 'applicant':
        return query.andWhere(`${alias}.organisation_id = :scopeOrganisation`, { scopeOrganisation: actor.organisationId });
      default:
        return query.andWhere(`${alias}.id = :scopeSelf`, { scopeSelf: actor.userId });
    }
  },
};
