import type { SelectQueryBuilder } from 'typeorm';
import type { Actor } from '@app/identity';
import type { Application } from './application.entity';

/**
 * The scope as one fixed SQL predicate over three parameters (role, organisation, region), so
 * prepared statements and query builders share it.
 */
function predicate(alias: string, role: string, organisation: string, region: string): string {
  return `((${role} = 'applicant' AND ${alias}.organisation_id = ${organisation})
        OR (${role} = 'county_officer' AND ${alias}.region_code = ${region} AND ${alias}.stage <> 'draft')
        OR (${role} IN ('bureau_officer', 'leader', 'admin') AND ${alias}.stage <> 'draft'))`;
}

/**
 * Object-level access to dossiers, decided here only. Applicants see their organisation's
 * dossiers (drafts included); county officers the submitted dossiers of their county or zone;
 * bureau officers, leaders and admins every submitted dossier. Anything else is not found (404).
 */
export const ApplicationPolicy = {
  scope(actor: Actor, query: SelectQueryBuilder<Application>, alias: string): SelectQueryBuilder<Application> {
    return query.andWhere(predicate(alias, 'CAST(:scopeRole AS text)', 'CAST(:scopeOrganisation AS uuid)', 'CAST(:scopeRegion AS text)'), {
      scopeRole: actor.role,
      scopeOrganisation: actor.organisationId ?? null,
      scopeRegion: actor.regionCode ?? null,
    });
  },

  /** The predicate for a prepared statement whose parameters `$n`, `$n+1`, `$n+2` are `sqlParameters(actor)`. */
  sql(alias: string, first: number): string {
    return predicate(alias, `$${first}::text`, `$${first + 1}::uuid`, `$${first + 2}::text`);
  },

  sqlParameters(actor: Actor): [string, string | null, string | null] {
    return [actor.role, actor.organisationId ?? null, actor.regionCode ?? null];
  },
};
