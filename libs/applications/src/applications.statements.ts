import type { Stage } from '@app/workflow';
import { ApplicationPolicy } from './application.policy';
import { Application } from './application.entity';
import type { Call } from './call.entity';

/**
 * The statements of a transition: a transition is on the hottest write path, so it reads and writes
 * plain rows instead of going through entity metadata.
 */

/** What a transition needs of the dossier's call. */
export type CallTerms = Pick<
  Call,
  'id' | 'opensAt' | 'closesAt' | 'countyReviewDeadline' | 'stageDurations' | 'quotaPerCounty' | 'requiredDocuments' | 'eligibilityRules'
>;

/** One row of LOCK_FOR_ACTION: the dossier's columns and its call's terms (`call_*`). */
export interface LockedDossier extends Record<string, unknown> {
  version: number;
  stage: Stage;
}

const DOSSIER_COLUMNS = `a.id, a.number, a.call_id AS "callId", a.platform_type AS "platformType", a.level, a.year,
       a.organisation_id AS "organisationId", a.region_code AS "regionCode", a.name, a.subtype, a.industries, a.form,
       a.pledge_signed_at AS "pledgeSignedAt", a.promoted_from_platform_id AS "promotedFromPlatformId", a.stage,
       a.returned_from AS "returnedFrom", a.round, a.workflow_id AS "workflowId", a.version,
       to_char(a.stage_deadline, 'YYYY-MM-DD') AS "stageDeadline", a.submitted_at AS "submittedAt", a.closed_at AS "closedAt",
       a.created_by AS "createdBy", a.created_at AS "createdAt", a.updated_at AS "updatedAt"`;

/**
 * Locks the dossier if the actor may see it ($2..$4: ApplicationPolicy.sqlParameters) and reads its
 * call's terms. A dossier outside the scope reads as missing. The audit chain's last row must be
 * read by a later statement, not here: this statement's snapshot predates the lock it may wait
 * for, and a writer that held the lock may have appended to the chain without changing the row.
 */
export const LOCK_FOR_ACTION = `SELECT ${DOSSIER_COLUMNS},
         c.opens_at AS call_opens_at, c.closes_at AS call_closes_at,
         to_char(c.county_review_deadline, 'YYYY-MM-DD') AS call_county_review_deadline,
         c.stage_durations AS call_stage_durations, c.quota_per_county AS call_quota_per_county,
         c.required_documents AS call_required_documents, c.eligibility_rules AS call_eligibility_rules
    FROM application a
    JOIN call c ON c.id = a.call_id
   WHERE a.id = $1 AND ${ApplicationPolicy.sql('a', 2)}
     FOR UPDATE OF a`;

/** Splits a LOCK_FOR_ACTION row into the dossier and its call's terms. */
export function lockedDossier(row: LockedDossier): { call: CallTerms } & Application {
  const {
    call_opens_at,
    call_closes_at,
    call_county_review_deadline,
    call_stage_durations,
    call_quota_per_county,
    call_required_documents,
    call_eligibility_rules,
    ...dossier
  } = row;
  const app = Object.assign(new Application(), dossier);
  const call = {
    id: app.callId,
    opensAt: call_opens_at,
    closesAt: call_closes_at,
    countyReviewDeadline: call_county_review_deadline,
    stageDurations: call_stage_durations,
    quotaPerCounty: call_quota_per_county,
    requiredDocuments: call_required_documents,
    eligibilityRules: call_eligibility_rules,
  } as CallTerms;
  return Object.assign(app, { call });
}

/** The dossier's new state and its event, in one statement; the new version numbers the event. */
export const APPLY_TRANSITION = `WITH dossier AS (
           UPDATE application SET stage = $2, returned_from = $3, round = $4, version = $5, stage_deadline = $6,
                  submitted_at = $7, number = $8, closed_at = $9, updated_at = $17
            WHERE id = $1
           RETURNING id
         )
         INSERT INTO application_event (id, application_id, seq, action, from_stage, to_stage, round, actor_user_id, actor_role, comment, input, created_at)
         SELECT $10, dossier.id, $5, $11, $12, $2, $4, $13, $14, $15, $16::jsonb, $17 FROM dossier`;
