import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { DecisionsService } from '../../libs/applications/src';
import type { Actor } from '../../libs/identity/src';
import { type TestApp, startTestApp } from '../support/app';
import { type Cast, makeCast, openCall, submittedDossier } from '../support/procedure';
import { SmtpCatcher } from '../support/smtp-catcher';
import { waitFor } from '../support/wait';

/**
 * Property (issue 14): a released batch of decisions sends each mail exactly once, whatever the mix
 * of signed and unsigned decisions and however many officers release at once. Runs against the
 * real database, outbox, worker and SMTP catcher; the dossiers are put at `decision` directly
 * (the stages before it are the other tests' business), and the decisions go through the lib.
 */
describe('decision release (property): each mail of a released batch is sent exactly once', () => {
  let smtp: SmtpCatcher;
  let test: TestApp;
  let db: DataSource;
  let cast: Cast;
  let callId: string;
  /** Every dossier made so far (their names stay unique). */
  const spare: { id: string; number: string }[] = [];

  beforeAll(async () => {
    smtp = await new SmtpCatcher().start();
    test = await startTestApp({ withWorker: true, smtpUrl: smtp.url, env: { MAIL_RETRY_BASE_MS: '100' } });
    db = test.app.get(DataSource);
    cast = await makeCast(test.baseUrl, db);
    callId = await openCall(test.baseUrl, cast.tokens.bureau);
  });

  afterAll(async () => {
    await test?.close();
    await smtp?.stop();
  });

  const actor = (user: { id: string; role: Actor['role'] }): Actor => ({
    userId: user.id,
    role: user.role,
    organisationId: null,
    regionCode: null,
    sessionId: 'property-test',
    ip: null,
  });

  /** Deliveries to `email` about each dossier (only those sent, when `sentOnly`; none pending then). */
  async function deliveriesTo(email: string, ids: string[], sentOnly = false): Promise<Map<string, number>> {
    const rows: { subject_id: string; n: number; pending: number }[] = await db.query(
      `SELECT subject_id, count(*)::int AS n, count(*) FILTER (WHERE state <> 'sent')::int AS pending FROM notification_delivery
        WHERE recipient_email = $1 AND subject_id = ANY($2::text[]) GROUP BY subject_id`,
      [email, ids],
    );
    if (sentOnly && rows.some((r) => r.pending > 0)) return new Map();
    return new Map(rows.map((r) => [r.subject_id, r.n]));
  }

  /** A submitted dossier moved straight to `decision`, as the stages before it would leave it. */
  async function dossierAtDecision(): Promise<{ id: string; number: string }> {
    const { id } = await submittedDossier(test.baseUrl, cast, callId, `瓯江性质孵化器${spare.length}`);
    // An UPDATE through the data source answers [rows, affected].
    const [rows] = await db.query(`UPDATE application SET stage = 'decision' WHERE id = $1 RETURNING number`, [id]);
    spare.push({ id, number: rows[0].number });
    return spare[spare.length - 1];
  }

  it('sends one decision mail per released dossier and none for unsigned ones, across concurrent releases', async () => {
    const decisions = test.app.get(DecisionsService);
    const bureau = actor({ id: cast.users.bureau.id, role: 'bureau_officer' });
    const leader = actor({ id: cast.users.leader.id, role: 'leader' });
    const applicant = cast.users.applicantA.email;

    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ outcome: fc.constantFrom<'approve' | 'reject'>('approve', 'reject'), signed: fc.boolean() }), {
          minLength: 1,
          maxLength: 4,
        }),
        fc.integer({ min: 1, max: 3 }),
        async (plans, releasers) => {
          const dossiers: { id: string; number: string; signed: boolean }[] = [];
          for (const plan of plans) {
            const dossier = await dossierAtDecision();
            await decisions.record(bureau, dossier.id, {
              outcome: plan.outcome,
              comment: plan.outcome === 'reject' ? '条件不足' : null,
              meeting: { kind: 'director_office_meeting', date: '2027-06-10', reference: '局长办公会纪要〔2027〕5号' },
            });
            if (plan.signed) await decisions.signOff(leader, dossier.id);
            dossiers.push({ ...dossier, signed: plan.signed });
          }
          const signed = dossiers.filter((d) => d.signed);
          const unsigned = dossiers.filter((d) => !d.signed);
          const ids = dossiers.map((d) => d.id);
          const before = await deliveriesTo(applicant, ids);
          const outcomes = await Promise.allSettled(Array.from({ length: releasers }, () => decisions.release(bureau, callId)));
          const released = outcomes.filter((o) => o.status === 'fulfilled');
          // One release carries every signed decision; the others find nothing left (or nothing at all).
          expect(released).toHaveLength(signed.length > 0 ? 1 : 0);
          if (released.length === 1)
            expect(released[0].value.decisions.map((d) => d.applicationId).sort()).toEqual(signed.map((d) => d.id).sort());

          // Each released dossier's applicant gets one more mail (approved: the stage, rejected: the decision); an unsigned one none.
          const expected = new Map(dossiers.map((d) => [d.id, (before.get(d.id) ?? 0) + (d.signed ? 1 : 0)]));
          const after = await waitFor(
            async () => {
              const counts = await deliveriesTo(applicant, ids, true);
              return dossiers.every((d) => counts.get(d.id) === expected.get(d.id)) ? counts : undefined;
            },
            { timeoutMs: 30_000, what: 'the mails of the release to be sent' },
          );
          expect(Object.fromEntries(after)).toEqual(Object.fromEntries(expected));
          // And each delivery reached the mailbox exactly once.
          for (const dossier of dossiers) {
            const subject = new RegExp(`申报书 ${dossier.number}[ ：]`);
            const mails = await waitFor(() => {
              const found = smtp.to(applicant).filter((m) => subject.test(m.subject));
              return found.length >= expected.get(dossier.id)! ? found : undefined;
            });
            expect(mails).toHaveLength(expected.get(dossier.id)!);
          }
          expect(unsigned.every((d) => expected.get(d.id) === before.get(d.id))).toBe(true);

          // No signed decision may be left for the next run: the unsigned ones are signed and released here.
          if (unsigned.length > 0) {
            for (const dossier of unsigned) await decisions.signOff(leader, dossier.id);
            const late = await decisions.release(bureau, callId);
            expect(late.decisions.map((d) => d.applicationId).sort()).toEqual(unsigned.map((d) => d.id).sort());
          }
        },
      ),
      { numRuns: 10 },
    );
  });
});
