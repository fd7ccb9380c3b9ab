import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import ExcelJS from 'exceljs';
import type { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import { type AuditActor, AuditService } from '@app/audit';
import { Clock, type Page, type PageQuery, addMonths, addYears, isIsoDay, offsetOf, pageOf, shanghaiDay } from '@app/common';
import { inTransaction, isUniqueViolation } from '@app/database';
import type { Actor } from '@app/identity';
import { NotificationsService } from '@app/notifications';
import { PLATFORM_TYPES, type PlatformLevel, type PlatformTypeCode, levelRank } from '@app/reference';
import { AnnualReport } from './annual-report.entity';
import { Evaluation, EvaluationThreshold, Rectification } from './evaluation.entity';
import { PlatformChange } from './platform-change.entity';
import { Platform } from './platform.entity';
import { checkRecognition, loadDictionaries } from './platform-fields';
import { RegistryErrors } from './registry.errors';
import { PlatformPolicy } from './registry.policy';
import { RegistryTallyService, operatorKeyOf } from './registry-tally.service';
import {
  type ChangeField,
  type EvaluationGrade,
  type PlatformStatus,
  type RecognitionInput,
  REVOCATION_REASON_NAMES,
  REVOCATION_REASON_NAMES_EN,
  type RevocationReason,
} from './registry.types';
import { OPERATOR_TYPES } from './tally';

export interface PlatformFilter {
  type?: PlatformTypeCode;
  level?: PlatformLevel;
  status?: PlatformStatus;
  /** The county counted toward (a county includes its zones). */
  county?: string;
  industry?: string;
  /** Recognition year. */
  year?: number;
  q?: string;
}

export interface PlatformDetail {
  platform: Platform;
  promotedTo: Platform[];
  changes: PlatformChange[];
  reports: AnnualReport[];
  evaluations: Evaluation[];
  rectifications: Rectification[];
}

export interface ReportInput {
  year: number;
  incubatedEnterprises?: number | null;
  graduatedEnterprises?: number | null;
  areaM2?: number | null;
  staff?: number | null;
  rdSpendYuan?: number | null;
  financingYuan?: number | null;
  torch?: Record<string, number>;
}

export interface EvaluationInput {
  year: number;
  score?: number | null;
  /** Defaults to today (Asia/Shanghai). */
  evaluatedOn?: string;
}

export interface EvaluationOutcome {
  evaluation: Evaluation;
  rectification: Rectification | null;
  /** Set when this is the second D (or absent) in a row: the bureau should consider revocation. */
  suggestedRevocation: RevocationReason | null;
}

export interface RectificationClosing {
  outcome: 'passed' | 'failed';
  /** Defaults to today (Asia/Shanghai). */
  closedOn?: string;
  note?: string | null;
}

export interface RectificationOutcome {
  rectification: Rectification;
  /** Set when this closing makes the registry suggest a revocation (a failed rectification). */
  suggestedRevocation: RevocationReason | null;
}

export interface RevocationInput {
  reason: RevocationReason;
  revokedOn: string;
  documentNumber?: string | null;
  /** Fraud only: years before the organisation may apply again (default 3). */
  banYears?: number;
}

export interface ChangeInput {
  field: ChangeField;
  newValue: string;
  changedOn: string;
  documentNumber?: string | null;
}

export interface ExportFile {
  filename: string;
  contentType: string;
  body: Buffer;
}

export const SYSTEM_ACTOR: AuditActor = { userId: null, role: 'system', ip: null };
const FAILING: EvaluationGrade[] = ['D', 'absent'];
const EXPORT_LIMIT = 200_000;

const auditActor = (actor: Actor): AuditActor => ({ userId: actor.userId, role: actor.role, ip: actor.ip });

function assertDay(field: string, value: string): void {
  if (!isIsoDay(value)) throw RegistryErrors.invalid(field, 'invalid_date', `日期无效：${value}。Not a valid date (YYYY-MM-DD).`);
}

/** The registry of recognised platforms and their history (DOMAIN.md §7). */
@Injectable()
export class RegistryService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tally: RegistryTallyService,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
  ) {}

  private today(): string {
    return shanghaiDay(this.clock.now());
  }

  /**
   * Enters a recognised platform, in the caller's transaction (the dossier workflow calls it when
   * a dossier is recognised). Validates against the dictionaries, derives the county, links a
   * promotion to its lineage and updates the counting tally.
   */
  async recordRecognition(manager: EntityManager, input: RecognitionInput): Promise<Platform> {
    const dictionaries = await loadDictionaries(manager);
    const { problems, checked } = checkRecognition(dictionaries, input, this.today());
    if (!checked) {
      const first = problems[0];
      throw RegistryErrors.invalid(first.field, first.code, first.message, { problems });
    }
    let lineageId: string | null = null;
    if (input.promotedFromId) {
      const from = await manager.findOne(Platform, { where: { id: input.promotedFromId } });
      if (!from)
        throw RegistryErrors.invalid(
          'promotedFromId',
          'unknown_promoted_from',
          '晋升前的平台不存在。The platform promoted from does not exist.',
        );
      if (from.type !== checked.type || levelRank(from.level) >= levelRank(checked.level)) {
        throw RegistryErrors.invalid(
          'promotedFromId',
          'invalid_promotion',
          '晋升须为同类平台且级别更高。A promotion keeps the type and raises the level.',
        );
      }
      lineageId = from.lineageId;
    }
    const id = randomUUID();
    const platform = manager.create(Platform, {
      id,
      type: checked.type,
      level: checked.level,
      subtype: checked.subtype,
      name: input.name.trim(),
      organisationId: input.organisationId,
      organisationName: input.organisationName.trim(),
      creditCode: checked.creditCode,
      regionCode: checked.regionCode,
      countyCode: checked.countyCode,
      industries: checked.industries,
      recognisedOn: input.recognisedOn,
      documentNumber: input.documentNumber.trim(),
      status: 'active',
      revokedOn: null,
      revocationReason: null,
      revocationDocumentNumber: null,
      reapplicationBannedUntil: null,
      promotedFromId: input.promotedFromId ?? null,
      lineageId: lineageId ?? id,
      applicationId: input.applicationId,
      professionalOperator: input.professionalOperator ?? false,
      source: input.applicationId ? 'procedure' : 'import',
    });
    const operatorKeys = platform.professionalOperator && OPERATOR_TYPES.includes(platform.type) ? [operatorKeyOf(platform)] : [];
    await this.tally.track(manager, { lineageIds: [platform.lineageId], operatorKeys }, async () => {
      try {
        // A savepoint, so a duplicate leaves the caller's transaction usable for its error handling.
        await manager.query('SAVEPOINT platform_insert');
        await manager.insert(Platform, platform);
        await manager.query('RELEASE SAVEPOINT platform_insert');
      } catch (error) {
        await manager.query('ROLLBACK TO SAVEPOINT platform_insert');
        if (isUniqueViolation(error)) {
          throw input.applicationId && (await manager.exists(Platform, { where: { applicationId: input.applicationId } }))
            ? RegistryErrors.duplicateApplication()
            : RegistryErrors.duplicate();
        }
        throw error;
      }
    });
    await this.audit.record(manager, SYSTEM_ACTOR, {
      action: 'platform.recognised',
      objectType: 'platform',
      objectId: id,
      summary: { applicationId: input.applicationId, type: platform.type, level: platform.level, documentNumber: platform.documentNumber },
    });
    return manager.findOneOrFail(Platform, { where: { id } });
  }

  /**
   * A platform of one organisation, for a dossier that claims to build on it (a promotion): its own
   * record, or an imported one (no organisation id) carrying its credit code. Null for another
   * organisation's platform and for an unknown id alike, so the caller cannot tell them apart.
   */
  async findOrganisationPlatform(
    manager: EntityManager,
    id: string,
    owner: { organisationId: string; creditCode: string | null },
  ): Promise<Platform | null> {
    const query = manager
      .getRepository(Platform)
      .createQueryBuilder('p')
      .where('p.id = :id', { id })
      .andWhere(
        owner.creditCode
          ? '(p.organisation_id = :organisationId OR (p.organisation_id IS NULL AND p.credit_code = :creditCode))'
          : 'p.organisation_id = :organisationId',
        { organisationId: owner.organisationId, creditCode: owner.creditCode },
      );
    return query.getOne();
  }

  /**
   * The last day of the organisation's re-application ban (set when a platform of theirs was revoked
   * for fraud), if one still runs on `today` (YYYY-MM-DD); null otherwise.
   */
  async reapplicationBanOf(
    manager: EntityManager,
    owner: { organisationId: string; creditCode: string | null },
    today: string,
  ): Promise<string | null> {
    const rows: { until: string | null }[] = await manager.query(
      `SELECT to_char(max(reapplication_banned_until), 'YYYY-MM-DD') AS until FROM platform
        WHERE (organisation_id = $1 OR ($2::text IS NOT NULL AND credit_code = $2)) AND reapplication_banned_until >= $3::date`,
      [owner.organisationId, owner.creditCode, today],
    );
    return rows[0]?.until ?? null;
  }

  /** One platform by id without an access check: for showing what an object the caller may read links to. */
  findLinked(manager: EntityManager, id: string): Promise<Platform | null> {
    return manager.findOne(Platform, { where: { id } });
  }

  private scoped(actor: Actor, manager: EntityManager = this.dataSource.manager): SelectQueryBuilder<Platform> {
    return PlatformPolicy.scope(actor, manager.getRepository(Platform).createQueryBuilder('p'), 'p');
  }

  private filtered(actor: Actor, filter: PlatformFilter): SelectQueryBuilder<Platform> {
    const query = this.scoped(actor);
    if (filter.type) query.andWhere('p.type = :type', { type: filter.type });
    if (filter.level) query.andWhere('p.level = :level', { level: filter.level });
    if (filter.status) query.andWhere('p.status = :status', { status: filter.status });
    if (filter.county) query.andWhere('p.county_code = :county', { county: filter.county });
    if (filter.industry) query.andWhere(':industry = ANY(p.industries)', { industry: filter.industry });
    if (filter.year) {
      query.andWhere('p.recognised_on BETWEEN :from AND :to', { from: `${filter.year}-01-01`, to: `${filter.year}-12-31` });
    }
    if (filter.q) query.andWhere('p.name ILIKE :q', { q: `%${filter.q.replace(/[%_\\]/g, '\\$&')}%` });
    return query;
  }

  async list(actor: Actor, filter: PlatformFilter, page: PageQuery): Promise<Page<Platform>> {
    const [items, total] = await this.filtered(actor, filter)
      .orderBy('p.recognised_on', 'DESC')
      .addOrderBy('p.id')
      .skip(offsetOf(page))
      .take(page.pageSize)
      .getManyAndCount();
    return pageOf(items, total, page);
  }

  /** One platform with its history, if the actor may see it (404 otherwise). */
  async get(actor: Actor, id: string): Promise<PlatformDetail> {
    const platform = await this.scoped(actor).andWhere('p.id = :id', { id }).getOne();
    if (!platform) throw RegistryErrors.notFound(id);
    const manager = this.dataSource.manager;
    const [promotedTo, changes, reports, evaluations, rectifications] = await Promise.all([
      manager.find(Platform, { where: { promotedFromId: id }, order: { recognisedOn: 'ASC' } }),
      manager.find(PlatformChange, { where: { platformId: id }, order: { changedOn: 'ASC', createdAt: 'ASC' } }),
      manager.find(AnnualReport, { where: { platformId: id }, order: { year: 'ASC' } }),
      manager.find(Evaluation, { where: { platformId: id }, order: { year: 'ASC' } }),
      manager.find(Rectification, { where: { platformId: id }, order: { openedOn: 'ASC' } }),
    ]);
    return { platform, promotedTo, changes, reports, evaluations, rectifications };
  }

  /** The filtered registry as a CSV (UTF-8 with BOM, for Excel) or XLSX file. */
  async export(actor: Actor, filter: PlatformFilter, format: 'csv' | 'xlsx'): Promise<ExportFile> {
    const platforms = await this.filtered(actor, filter).orderBy('p.recognised_on', 'ASC').addOrderBy('p.id').take(EXPORT_LIMIT).getMany();
    const header = [
      '平台名称',
      '类型',
      '级别',
      '子类型',
      '依托单位',
      '统一社会信用代码',
      '所在地区',
      '计入县（市、区）',
      '产业领域',
      '认定日期',
      '认定文号',
      '专业运营机构',
      '状态',
      '撤销日期',
      '撤销原因',
      'ID',
    ];
    const typeName = (code: string): string => PLATFORM_TYPES.find((t) => t.code === code)?.nameZh ?? code;
    const levelName: Record<string, string> = { municipal: '市级', provincial: '省级', national: '国家级' };
    const rows = platforms.map((p) => [
      p.name,
      typeName(p.type),
      levelName[p.level] ?? p.level,
      p.subtype ?? '',
      p.organisationName,
      p.creditCode ?? '',
      p.regionCode,
      p.countyCode,
      p.industries.join('、'),
      p.recognisedOn,
      p.documentNumber,
      p.professionalOperator ? '是' : '否',
      p.status === 'active' ? '有效' : '已撤销',
      p.revokedOn ?? '',
      p.revocationReason ? REVOCATION_REASON_NAMES[p.revocationReason] : '',
      p.id,
    ]);
    const stamp = this.today();
    if (format === 'csv') {
      const escape = (cell: string): string => {
        // Cells starting with = + - @ would run as formulas in a spreadsheet.
        const safe = /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
        return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
      };
      const text = [header, ...rows].map((row) => row.map(escape).join(',')).join('\r\n');
      return { filename: `platforms-${stamp}.csv`, contentType: 'text/csv; charset=utf-8', body: Buffer.from(`\uFEFF${text}\r\n`, 'utf8') };
    }
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('平台名录');
    sheet.addRow(header);
    for (const row of rows) sheet.addRow(row);
    sheet.getRow(1).font = { bold: true };
    const body = Buffer.from(await workbook.xlsx.writeBuffer());
    return { filename: `platforms-${stamp}.xlsx`, contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', body };
  }

  /** Locks and loads a platform the actor may act on (404 outside their scope). */
  private async lockScoped(actor: Actor, manager: EntityManager, id: string): Promise<Platform> {
    const platform = await this.scoped(actor, manager).andWhere('p.id = :id', { id }).setLock('pessimistic_write').getOne();
    if (!platform) throw RegistryErrors.notFound(id);
    return platform;
  }

  async fileReport(actor: Actor, id: string, input: ReportInput): Promise<AnnualReport> {
    const today = this.today();
    return inTransaction(this.dataSource, async (manager) => {
      const platform = await this.lockScoped(actor, manager, id);
      const currentYear = Number(today.slice(0, 4));
      const firstYear = Number(platform.recognisedOn.slice(0, 4));
      if (input.year < firstYear || input.year > currentYear) {
        throw RegistryErrors.invalid(
          'year',
          'report_year_out_of_range',
          `报告年度须在${firstYear}至${currentYear}年之间。The year must be between recognition and this year.`,
        );
      }
      const torch = input.torch ?? {};
      if (Object.keys(torch).length > 0 && !OPERATOR_TYPES.includes(platform.type)) {
        throw RegistryErrors.invalid(
          'torch',
          'torch_not_applicable',
          '只有孵化器和众创空间填报火炬统计。Only incubators and maker spaces report Torch statistics.',
        );
      }
      const report = manager.create(AnnualReport, {
        id: randomUUID(),
        platformId: id,
        year: input.year,
        filedOn: today,
        incubatedEnterprises: input.incubatedEnterprises ?? null,
        graduatedEnterprises: input.graduatedEnterprises ?? null,
        areaM2: input.areaM2 ?? null,
        staff: input.staff ?? null,
        rdSpendYuan: input.rdSpendYuan ?? null,
        financingYuan: input.financingYuan ?? null,
        torch,
        filedBy: actor.userId,
      });
      if (await manager.exists(AnnualReport, { where: { platformId: id, year: input.year } }))
        throw RegistryErrors.duplicateReport(input.year);
      await this.tally.track(manager, { lineageIds: [platform.lineageId], operatorKeys: [] }, async () => {
        try {
          await manager.insert(AnnualReport, report);
        } catch (error) {
          if (isUniqueViolation(error)) throw RegistryErrors.duplicateReport(input.year);
          throw error;
        }
      });
      await this.audit.record(manager, auditActor(actor), {
        action: 'platform.report_filed',
        objectType: 'platform',
        objectId: id,
        summary: { year: input.year, reportId: report.id },
      });
      return manager.findOneOrFail(AnnualReport, { where: { id: report.id } });
    });
  }

  private async thresholdFor(manager: EntityManager, type: string, year: number): Promise<EvaluationThreshold> {
    const threshold = await manager
      .getRepository(EvaluationThreshold)
      .createQueryBuilder('t')
      .where('t.platform_type = :type AND t.from_year <= :year', { type, year })
      .orderBy('t.from_year', 'DESC')
      .getOne();
    if (!threshold) throw RegistryErrors.noThreshold(type, year);
    return threshold;
  }

  /**
   * Grades a year: `not_evaluated` in a key lab's build period, `absent` when no report was filed by
   * the deadline, otherwise the score against the type's thresholds. D and absent open a rectification.
   */
  async evaluate(actor: Actor, id: string, input: EvaluationInput): Promise<EvaluationOutcome> {
    const today = this.today();
    const evaluatedOn = input.evaluatedOn ?? today;
    assertDay('evaluatedOn', evaluatedOn);
    if (evaluatedOn > today)
      throw RegistryErrors.invalid(
        'evaluatedOn',
        'date_out_of_range',
        '评价日期不能晚于今天。The evaluation date cannot be in the future.',
      );
    return inTransaction(this.dataSource, async (manager) => {
      const platform = await this.lockScoped(actor, manager, id);
      const firstYear = Number(platform.recognisedOn.slice(0, 4));
      if (input.year < firstYear || input.year >= Number(evaluatedOn.slice(0, 4))) {
        throw RegistryErrors.invalid(
          'year',
          'evaluation_year_out_of_range',
          '评价年度须在认定年度之后、评价日期之前。The year must be a past year since recognition.',
        );
      }
      if (await manager.exists(Evaluation, { where: { platformId: id, year: input.year } }))
        throw RegistryErrors.duplicateEvaluation(input.year);
      const threshold = await this.thresholdFor(manager, platform.type, input.year);
      const due = `${input.year + 1}-${threshold.reportDue}`;
      const report = await manager.findOne(AnnualReport, { where: { platformId: id, year: input.year } });
      let grade: EvaluationGrade;
      let score: number | null = null;
      if (input.year < firstYear + threshold.buildPeriodYears) {
        grade = 'not_evaluated';
      } else if (!report || report.filedOn > due) {
        if (evaluatedOn <= due && !report) {
          throw RegistryErrors.reportNotDue(input.year, due);
        }
        grade = 'absent';
      } else {
        if (input.score === undefined || input.score === null) {
          throw RegistryErrors.invalid('score', 'score_required', '已提交年度报告的平台须填写评价得分。A score is required.');
        }
        score = input.score;
        grade = score >= threshold.excellentMin ? 'A' : score >= threshold.goodMin ? 'B' : score >= threshold.passMin ? 'C' : 'D';
      }
      const evaluation = manager.create(Evaluation, { id: randomUUID(), platformId: id, year: input.year, score, grade, evaluatedOn });
      await manager.insert(Evaluation, evaluation);
      let rectification: Rectification | null = null;
      if (FAILING.includes(grade)) {
        rectification = manager.create(Rectification, {
          id: randomUUID(),
          platformId: id,
          evaluationId: evaluation.id,
          openedOn: evaluatedOn,
          deadline: addMonths(evaluatedOn, threshold.rectificationMonths),
          status: 'open',
          closedOn: null,
        });
        await manager.insert(Rectification, rectification);
      }
      const previous = await manager.findOne(Evaluation, { where: { platformId: id, year: input.year - 1 } });
      const suggestedRevocation: RevocationReason | null =
        FAILING.includes(grade) && previous && FAILING.includes(previous.grade) ? 'failed_twice' : null;
      await this.audit.record(manager, auditActor(actor), {
        action: 'platform.evaluated',
        objectType: 'platform',
        objectId: id,
        summary: { year: input.year, score, grade, rectificationId: rectification?.id ?? null },
      });
      if (suggestedRevocation) await this.suggestRevocation(manager, actor, platform, suggestedRevocation, evaluatedOn, null);
      return {
        evaluation: await manager.findOneOrFail(Evaluation, { where: { id: evaluation.id } }),
        rectification: rectification ? await manager.findOneOrFail(Rectification, { where: { id: rectification.id } }) : null,
        suggestedRevocation,
      };
    });
  }

  /**
   * Closes an open rectification (整改) after the follow-up, as passed or failed. A failed one is a
   * ground for revocation (DOMAIN.md §7, `failed_rectification`): the platform was failed twice, by
   * its grade and by its rectification, so the registry flags it for the bureau and tells them.
   */
  async closeRectification(actor: Actor, id: string, rectificationId: string, input: RectificationClosing): Promise<RectificationOutcome> {
    const today = this.today();
    const closedOn = input.closedOn ?? today;
    assertDay('closedOn', closedOn);
    return inTransaction(this.dataSource, async (manager) => {
      const platform = await this.lockScoped(actor, manager, id);
      const rectification = await manager.findOne(Rectification, { where: { id: rectificationId, platformId: id } });
      if (!rectification) throw RegistryErrors.rectificationNotFound(rectificationId);
      if (rectification.status !== 'open') throw RegistryErrors.rectificationClosed(rectification.status);
      if (closedOn < rectification.openedOn || closedOn > today) {
        throw RegistryErrors.invalid(
          'closedOn',
          'date_out_of_range',
          `整改结束日期须在整改开始（${rectification.openedOn}）之后、今天之前。The date must be between the opening and today.`,
        );
      }
      if (input.outcome === 'failed' && !input.note?.trim()) {
        throw RegistryErrors.invalid('note', 'note_required', '整改不合格须说明理由。A failed rectification needs a note.');
      }
      await manager.update(
        Rectification,
        { id: rectificationId },
        { status: input.outcome, closedOn, closedBy: actor.userId, closingNote: input.note?.trim() || null },
      );
      await this.audit.record(manager, auditActor(actor), {
        action: 'platform.rectification_closed',
        objectType: 'platform',
        objectId: id,
        summary: { rectificationId, outcome: input.outcome, closedOn, late: closedOn > rectification.deadline },
      });
      let suggestedRevocation: RevocationReason | null = null;
      if (input.outcome === 'failed' && platform.status === 'active') {
        suggestedRevocation = 'failed_rectification';
        await this.suggestRevocation(manager, actor, platform, suggestedRevocation, closedOn, input.note?.trim() ?? null);
      }
      return {
        rectification: await manager.findOneOrFail(Rectification, { where: { id: rectificationId } }),
        suggestedRevocation,
      };
    });
  }

  /** Flags the platform for the bureau with the ground for revocation, audited, and mails the bureau's officers. */
  private async suggestRevocation(
    manager: EntityManager,
    actor: Actor,
    platform: Platform,
    reason: RevocationReason,
    day: string,
    note: string | null,
  ): Promise<void> {
    if (platform.status !== 'active') return;
    await manager.update(Platform, { id: platform.id }, { revocationSuggestedReason: reason, revocationSuggestedOn: day });
    await this.audit.record(manager, auditActor(actor), {
      action: 'platform.revocation_suggested',
      objectType: 'platform',
      objectId: platform.id,
      summary: { reason, suggestedOn: day },
    });
    await this.notifications.mailUsers(manager, [
      {
        event: 'platform.revocation_suggested',
        to: { role: 'bureau_officer' },
        data: {
          name: platform.name,
          documentNumber: platform.documentNumber,
          reasonLabel: REVOCATION_REASON_NAMES[reason],
          reasonLabelEn: REVOCATION_REASON_NAMES_EN[reason],
          note: note ?? '',
        },
        about: { type: 'platform', id: platform.id },
      },
    ]);
  }

  /** Revokes a platform from a day on: it stops counting that day; its history stays. */
  async revoke(actor: Actor, id: string, input: RevocationInput): Promise<Platform> {
    const today = this.today();
    const latest = addYears(today, 1);
    assertDay('revokedOn', input.revokedOn);
    return inTransaction(this.dataSource, async (manager) => {
      const found = await this.lockScoped(actor, manager, id);
      if (found.status === 'revoked') throw RegistryErrors.alreadyRevoked();
      if (input.revokedOn < found.recognisedOn || input.revokedOn > latest) {
        throw RegistryErrors.invalid(
          'revokedOn',
          'date_out_of_range',
          `撤销日期须在认定日期（${found.recognisedOn}）之后、一年之内。The date must follow recognition and be within a year from today.`,
        );
      }
      if (input.banYears !== undefined && input.reason !== 'fraud') {
        throw RegistryErrors.invalid('banYears', 'ban_only_for_fraud', '只有弄虚作假撤销才设限制申报期。A ban applies to fraud only.');
      }
      const operatorKeys = found.professionalOperator && OPERATOR_TYPES.includes(found.type) ? [operatorKeyOf(found)] : [];
      await this.tally.track(manager, { lineageIds: [found.lineageId], operatorKeys }, () =>
        manager.update(
          Platform,
          { id },
          {
            status: 'revoked',
            revokedOn: input.revokedOn,
            revocationReason: input.reason,
            revocationDocumentNumber: input.documentNumber ?? null,
            reapplicationBannedUntil: input.reason === 'fraud' ? addYears(input.revokedOn, input.banYears ?? 3) : null,
            // The suggestion is answered; the audit log keeps that it was made.
            revocationSuggestedReason: null,
            revocationSuggestedOn: null,
            updatedAt: this.clock.now(),
          },
        ),
      );
      await this.audit.record(manager, auditActor(actor), {
        action: 'platform.revoked',
        objectType: 'platform',
        objectId: id,
        summary: { reason: input.reason, revokedOn: input.revokedOn, documentNumber: input.documentNumber ?? null },
      });
      return manager.findOneOrFail(Platform, { where: { id } });
    });
  }

  /** Records a reported change (变更); a change of name also renames the platform. */
  async recordChange(actor: Actor, id: string, input: ChangeInput): Promise<PlatformChange> {
    const today = this.today();
    assertDay('changedOn', input.changedOn);
    return inTransaction(this.dataSource, async (manager) => {
      const platform = await this.lockScoped(actor, manager, id);
      if (input.changedOn < platform.recognisedOn || input.changedOn > today) {
        throw RegistryErrors.invalid(
          'changedOn',
          'date_out_of_range',
          '变更日期须在认定日期之后、今天之前。The date must be between recognition and today.',
        );
      }
      const previous = await manager.findOne(PlatformChange, {
        where: { platformId: id, field: input.field },
        order: { changedOn: 'DESC', createdAt: 'DESC' },
      });
      const oldValue =
        input.field === 'name' ? platform.name : input.field === 'operator' ? platform.organisationName : (previous?.newValue ?? null);
      const change = manager.create(PlatformChange, {
        id: randomUUID(),
        platformId: id,
        field: input.field,
        oldValue,
        newValue: input.newValue.trim(),
        changedOn: input.changedOn,
        documentNumber: input.documentNumber ?? null,
      });
      await manager.insert(PlatformChange, change);
      if (input.field === 'name') {
        try {
          await manager.update(Platform, { id }, { name: change.newValue, updatedAt: this.clock.now() });
        } catch (error) {
          if (isUniqueViolation(error)) throw RegistryErrors.duplicate();
          throw error;
        }
      }
      await this.audit.record(manager, auditActor(actor), {
        action: 'platform.changed',
        objectType: 'platform',
        objectId: id,
        summary: { field: input.field, oldValue, newValue: change.newValue, changedOn: input.changedOn },
      });
      return manager.findOneOrFail(PlatformChange, { where: { id: change.id } });
    });
  }
}
