import type { SelectQueryBuilder } from 'typeorm';
import type { Actor } from '@app/identity';
import type { Application } from './application.entity';

/**
 * Object-level access to dossiers, decided here only. Applicants see their organisation's
 * dossiers (drafts included); county officers the submitted dossiers of their county or zone;
 * bureau officers, leaders and admins every submitted dossier. Anything else is not found (404).
 */
export const ApplicationPolicy = {
  scope(actor: Actor, query: SelectQueryBuilder<Application>, alias: string): SelectQueryBuilder<Application> {
    switch (actor.role) {
      case 'applicant':
        return query.andWhere(`${alias}.organisation_id = :scopeOrganisation`, { scopeOrganisation: actor.organisationId });
      case 'county_officer':
        return query.andWhere(`${alias}.region_code = :scopeRegion AND ${alias}.stage <> 'draft'`, { scopeRegion: actor.regionCode });
      case 'bureau_officer':
      case 'leader':
      case 'admin':
        return query.andWhere(`${alias}.stage <> 'draft'`);
      default:
        return query.andWhere('false');
    }
  },
};
