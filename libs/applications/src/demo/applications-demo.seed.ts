import { Readable } from 'node:stream';
import { PDFDocument } from 'pdf-lib';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '@app/config';
import type { Actor, Role } from '@app/identity';
import type { Action, ActionInput, Stage } from '@app/workflow';
import { type ApplicationsService } from '../applications.service';
import { type AttachmentsService } from '../attachments/attachments.service';
import { Call } from '../call.entity';
import { type CallsService } from '../calls.service';
import { type DecisionsService } from '../decisions/decisions.service';

const DEMO_TITLE_MARK = '（演示）';
const DAY = 86_400_000;

const CALLS: [type: string, title: string][] = [
  ['new_rd_institution', '2027年度温州市新型研发机构认定'],
  ['incubator', '2027年度温州市科技企业孵化器认定'],
  ['maker_space', '2027年度温州市众创空间认定'],
  ['key_lab', '2027年度温州市重点实验室认定'],
];

const FORM = {
  independentLegalPerson: true,
  operatingSince: '2021-06-01',
  siteOwned: false,
  leaseYears: 8,
  areaM2: 9000,
  incubatedAreaM2: 7200,
  incubatedFirms: 48,
  graduatedFirms: 6,
  professionalOperator: true,
};

/**
 * The path that brings a dossier to each demo stage, as (role, action, input) steps after submission.
 * The `score` of `record_expert_result` is what the demo panel gives (see `expertReview`); the step
 * itself records the closed panel's result, as `record_inspection` records the signed inspection's.
 */
/** Demo dossiers are named after their applicant's county. */
const COUNTY_BY_PREFIX: [string, string][] = [
  ['鹿城', 'lucheng'],
  ['龙湾', 'longwan'],
  ['瓯海', 'ouhai'],
  ['瑞安', 'ruian'],
  ['乐清', 'yueqing'],
  ['平阳', 'pingyang'],
  ['苍南', 'cangnan'],
  ['龙港', 'longgang'],
];

const PATHS: [target: Stage, name: string, steps: [Role, Action, ActionInput][]][] = [
  ['draft', '瓯越智造孵化器（草稿）', []],
  ['county_review', '鹿城数字经济孵化器', [['applicant', 'submit', {}]]],
  [
    'revision',
    '龙湾新材料孵化器',
    [
      ['applicant', 'submit', {}],
      ['county_officer', 'return_for_revision', { comment: '请补充场地租赁合同及在孵企业名单。' }],
    ],
  ],
  [
    'formal_review',
    '瓯海生命健康孵化器',
    [
      ['applicant', 'submit', {}],
      ['county_officer', 'recommend', {}],
    ],
  ],
  [
    'expert_review',
    '瑞安汽摩配创新孵化器',
    [
      ['applicant', 'submit', {}],
      ['county_officer', 'recommend', {}],
      ['bureau_officer', 'pass_formal_review', {}],
    ],
  ],
  [
    'site_inspection',
    '乐清电气科创孵化器',
    [
      ['applicant', 'submit', {}],
      ['county_officer', 'recommend', {}],
      ['bureau_officer', 'pass_formal_review', {}],
      ['bureau_officer', 'record_expert_result', { score: 84 }],
    ],
  ],
  [
    'decision',
    '龙湾泵阀产业孵化器',
    [
      ['applicant', 'submit', {}],
      ['county_officer', 'recommend', {}],
      ['bureau_officer', 'pass_formal_review', {}],
      ['bureau_officer', 'record_expert_result', { score: 88 }],
      ['bureau_officer', 'record_inspection', {}],
    ],
  ],
  [
    'public_notice',
    '平阳鞋服设计孵化器',
    [
      ['applicant', 'submit', {}],
      ['county_officer', 'recommend', {}],
      ['bureau_officer', 'pass_formal_review', {}],
      ['bureau_officer', 'record_expert_result', { score: 86 }],
      ['bureau_officer', 'record_inspection', {}],
      // Published as a list, with an objection, by the notices demo (libs/notices), which the standalone app runs next.
      ['bureau_officer', 'approve', {}],
    ],
  ],
  [
    'rejected',
    '苍南示范孵化器',
    [
      ['applicant', 'submit', {}],
      ['county_officer', 'reject', { comment: '在孵企业数量不足，暂不推荐。' }],
    ],
  ],
  [
    'withdrawn',
    '龙港新能源创客孵化器',
    [
      ['applicant', 'submit', {}],
      ['applicant', 'withdraw', { comment: '场地租赁合同未能续签，本年度暂不申报。' }],
    ],
  ],
];

/** A real one-page PDF: uploads are parsed, so a header alone would be refused. */
async function demoPdf(title: string): Promise<Buffer> {
  const document = await PDFDocument.create();
  document.setTitle(title);
  document.addPage();
  return Buffer.from(await document.save());
}

interface DemoUser {
  id: string;
  role: Role;
  organisation_id: string | null;
  region_code: string | null;
}

/**
 * Demo data for embedded mode: an open municipal call per platform type, and incubator dossiers
 * standing at every stage, moved there through the real procedure (so their timelines, audit rows,
 * mails in the inbox and reminders are what a real dossier would have). Idempotent; never in production.
 */
export async function seedApplicationsDemo(
  dataSource: DataSource,
  services: {
    calls: CallsService;
    applications: ApplicationsService;
    decisions: DecisionsService;
    attachments: AttachmentsService;
    /** Runs a dossier's expert review to a closed panel scoring `value` (0-100); composed by the app layer. */
    expertReview: (bureau: Actor, applicationId: string, value: number) => Promise<void>;
    /** Runs a dossier's site inspection to a passed result signed by its team (the bureau officer, the county officer, an expert). */
    siteInspection: (bureau: Actor, county: Actor, applicationId: string) => Promise<void>;
  },
  config: Pick<AppConfig, 'nodeEnv'>,
): Promise<{ created: number }> {
  if (config.nodeEnv === 'production') return { created: 0 };
  if (
    await dataSource
      .getRepository(Call)
      .createQueryBuilder('c')
      .where('c.title LIKE :mark', { mark: `%${DEMO_TITLE_MARK}` })
      .getExists()
  ) {
    return { created: 0 };
  }
  const users: DemoUser[] = await dataSource.query(
    `SELECT u.id, u.role, u.organisation_id, coalesce(u.region_code, o.region_code) AS region_code
       FROM app_user u LEFT JOIN organisation o ON o.id = u.organisation_id
      WHERE u.email LIKE '%@demo.ouflow.cn' AND u.disabled = false ORDER BY u.email`,
  );
  const bureau = users.find((u) => u.role === 'bureau_officer');
  const leader = users.find((u) => u.role === 'leader');
  const applicants = users.filter((u) => u.role === 'applicant' && u.organisation_id);
  if (!bureau || !leader || applicants.length === 0) return { created: 0 };
  const actor = (user: DemoUser): Actor => ({
    userId: user.id,
    role: user.role,
    organisationId: user.organisation_id,
    regionCode: user.region_code,
    sessionId: 'demo-seed',
    ip: null,
  });
  const now = Date.now();
  let incubatorCall: Call | undefined;
  for (const [type, title] of CALLS) {
    const call = await services.calls.create(actor(bureau), {
      platformType: type,
      level: 'municipal',
      year: 2027,
      title: `${title}${DEMO_TITLE_MARK}`,
      opensAt: new Date(now - 7 * DAY),
      closesAt: new Date(now + 60 * DAY),
    });
    await services.calls.update(actor(bureau), call.id, { status: 'open' });
    if (type === 'incubator') incubatorCall = call;
  }
  let created = 0;
  const awaitingRelease: string[] = [];
  const meeting = { kind: 'director_office_meeting' as const, date: '2027-06-10', reference: '局长办公会纪要〔2027〕5号' };
  for (const [index, [target, name, steps]] of PATHS.entries()) {
    // The applicant of the county the name gives (its officer then finds the dossier in their worklist).
    const county = COUNTY_BY_PREFIX.find(([prefix]) => name.startsWith(prefix))?.[1];
    const applicant = applicants.find((u) => county && u.region_code === county) ?? applicants[index % applicants.length];
    const countyOfficer = users.find((u) => u.role === 'county_officer' && u.region_code === applicant.region_code);
    let app = await services.applications.createDraft(actor(applicant), {
      callId: incubatorCall!.id,
      name,
      subtype: 'comprehensive',
      industries: ['emerg.intelligent_equipment'],
      form: FORM,
    });
    app = await services.applications.updateDraft(actor(applicant), app.id, app.version, { pledgeSigned: true });
    for (const code of ['business_licence', 'integrity_pledge']) {
      await services.attachments.upload(actor(applicant), app.id, code, Readable.from(await demoPdf(code)), `${code}.pdf`);
    }
    for (const [role, action, step] of steps) {
      const who = role === 'applicant' ? applicant : role === 'county_officer' ? countyOfficer : bureau;
      if (!who) break;
      const reviewed = action === 'record_expert_result';
      if (reviewed) await services.expertReview(actor(bureau), app.id, step.score ?? 80);
      if (action === 'record_inspection' && countyOfficer) await services.siteInspection(actor(bureau), actor(countyOfficer), app.id);
      const input = reviewed ? {} : step;
      if (action === 'approve') {
        // The meeting's decision, signed off by the leader, released with the call's batch.
        await services.decisions.record(actor(bureau), app.id, { outcome: 'approve', meeting });
        await services.decisions.signOff(actor(leader), app.id);
        await services.decisions.release(actor(bureau), app.callId);
        continue;
      }
      if (action === 'recommend')
        await services.attachments.upload(
          actor(who),
          app.id,
          'recommendation_letter',
          Readable.from(await demoPdf('推荐函')),
          '推荐函.pdf',
        );
      const current = await services.applications.getAccessible(actor(who), app.id);
      app = await services.applications.act(actor(who), app.id, action, input, current.version);
    }
    if (target === 'decision') awaitingRelease.push(app.id);
    created += 1;
  }
  // The dossier at decision shows a decision signed off and waiting for the next release: signed after every other
  // dossier's walk, since a release takes all of a call's signed decisions.
  for (const id of awaitingRelease) {
    await services.decisions.record(actor(bureau), id, { outcome: 'approve', meeting });
    await services.decisions.signOff(actor(leader), id);
  }
  return { created };
}
