import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '@app/audit';
import { Clock, isIsoDay, shanghaiDay } from '@app/common';
import { inTransaction } from '@app/database';
import type { Actor } from '@app/identity';
import { Industry, PLATFORM_LEVELS, type PlatformLevel, Region } from '@app/reference';
import { MEASURES, RegistryTallyService } from '@app/registry';
import { PipelineSource } from './pipeline-source';
import {
  LEVELS,
  type NamedCode,
  type PipelineStage,
  type ProgressBy,
  type RevisionInForce,
  type TargetProgress,
  computeProgress,
} from './progress';
import { PLAN_BASE_DAY, SERIES_FROM_YEAR } from './target-definition';
import { Target, TargetRevision } from './target.entity';
import { TargetsErrors } from './targets.errors';

export interface TargetWithRevisions {
  target: Target;
  current: TargetRevision | null;
  revisions: TargetRevision[];
}

export interface RevisionInput {
  value: number;
  dueOn: string;
  sourceDocumentNumber: string;
  sourceDocumentDate: string;
  /** Defaults to today; never before today, so the past stays as it was shown. */
  effectiveFrom?: string;
  note?: string | null;
}

export interface ProgressReport {
  asOf: string;
  by: ProgressBy | null;
  targets: TargetProgress[];
  pipeline: { available: boolean; stages: PipelineStage[] };
}

export const EARLIEST_AS_OF = '2000-01-01';
export const LATEST_AS_OF = '2100-12-31';

/** The revision in force on a day: the latest effective on or before it (ties: the later recorded). */
export function revisionInForce(revisions: TargetRevision[], day: string): TargetRevision | null {
  let found: TargetRevision | null = null;
  for (const r of revisions) {
    if (r.effectiveFrom > day) continue;
    if (!found || r.effectiveFrom > found.effectiveFrom || (r.effectiveFrom === found.effectiveFrom && r.createdAt > found.createdAt))
      found = r;
  }
  return found;
}

const toInForce = (r: TargetRevision): RevisionInForce => ({
  id: r.id,
  value: r.value,
  dueOn: r.dueOn,
  sourceDocumentNumber: r.sourceDocumentNumber,
  sourceDocumentDate: r.sourceDocumentDate,
  effectiveFrom: r.effectiveFrom,
});

/** Targets with provenance and history, and progress toward them counted from the registry tally. */
@Injectable()
export class TargetsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tally: RegistryTallyService,
    private readonly pipeline: PipelineSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  private today(): string {
    return shanghaiDay(this.clock.now());
  }

  async list(): Promise<TargetWithRevisions[]> {
    const manager = this.dataSource.manager;
    const targets = await manager.find(Target, { order: { sortOrder: 'ASC' } });
    const revisions = await manager.find(TargetRevision, { order: { effectiveFrom: 'ASC', createdAt: 'ASC' } });
    const today = this.today();
    return targets.map((target) => {
      const own = revisions.filter((r) => r.targetCode === target.code);
      return { target, current: revisionInForce(own, today), revisions: own };
    });
  }

  /** Records a new revision; the earlier ones stay and still apply to the days before it. */
  async revise(actor: Actor, code: string, input: RevisionInput): Promise<TargetWithRevisions> {
    const today = this.today();
    const effectiveFrom = input.effectiveFrom ?? today;
    for (const [field, value] of [
      ['dueOn', input.dueOn],
      ['sourceDocumentDate', input.sourceDocumentDate],
      ['effectiveFrom', effectiveFrom],
    ] as const) {
      if (!isIsoDay(value) || value < EARLIEST_AS_OF || value > LATEST_AS_OF) {
        throw TargetsErrors.invalid(field, 'invalid_date', `日期无效：${value}。Not a valid date.`);
      }
    }
    if (effectiveFrom < today) {
      throw TargetsErrors.invalid(
        'effectiveFrom',
        'effective_in_past',
        '新修订只能从今天或以后生效，历史进度不被改写。A revision takes effect today or later; the past is not rewritten.',
      );
    }
    if (input.sourceDocumentDate > today)
      throw TargetsErrors.invalid(
        'sourceDocumentDate',
        'document_in_future',
        '文件日期不能晚于今天。The document date cannot be in the future.',
      );
    if (input.dueOn < effectiveFrom)
      throw TargetsErrors.invalid(
        'dueOn',
        'due_before_effective',
        '完成期限不能早于生效日期。The due date cannot precede the effective date.',
      );
    await inTransaction(this.dataSource, async (manager) => {
      const target = await manager.findOne(Target, { where: { code }, lock: { mode: 'pessimistic_write' } });
      if (!target) throw TargetsErrors.notFound(code);
      const revision = manager.create(TargetRevision, {
        id: randomUUID(),
        targetCode: code,
        value: input.value,
        dueOn: input.dueOn,
        sourceDocumentNumber: input.sourceDocumentNumber.trim(),
        sourceDocumentDate: input.sourceDocumentDate,
        effectiveFrom,
        note: input.note ?? null,
        createdBy: actor.userId,
      });
      await manager.insert(TargetRevision, revision);
      await this.audit.record(
        manager,
        { userId: actor.userId, role: actor.role, ip: actor.ip },
        {
          action: 'target.revised',
          objectType: 'target',
          objectId: code,
          summary: {
            revisionId: revision.id,
            value: input.value,
            dueOn: input.dueOn,
            sourceDocumentNumber: revision.sourceDocumentNumber,
            effectiveFrom,
          },
        },
      );
    });
    const found = (await this.list()).find((t) => t.target.code === code);
    if (!found) throw TargetsErrors.notFound(code);
    return found;
  }

  /**
   * Progress of every target as of a day (default today): counts from the tally, the revision in
   * force that day, yearly series, coverage, breakdowns and the forecast.
   */
  async progress(asOfInput: string | undefined, by: ProgressBy | null): Promise<ProgressReport> {
    const asOf = asOfInput ?? this.today();
    if (!isIsoDay(asOf) || asOf < EARLIEST_AS_OF || asOf > LATEST_AS_OF) {
      throw TargetsErrors.invalid(
        'asOf',
        'invalid_as_of',
        `查询日期须为${EARLIEST_AS_OF}至${LATEST_AS_OF}之间的有效日期。asOf must be a valid date.`,
      );
    }
    const manager = this.dataSource.manager;
    const [targets, revisions, counties, fivePlusFive] = await Promise.all([
      manager.find(Target, { order: { sortOrder: 'ASC' } }),
      manager.find(TargetRevision),
      this.counties(manager, asOf),
      this.fivePlusFive(manager, asOf),
    ]);
    const inForce = new Map(
      targets.map((t) => [
        t.code,
        revisionInForce(
          revisions.filter((r) => r.targetCode === t.code),
          asOf,
        ),
      ]),
    );
    const days = new Set<string>([asOf, PLAN_BASE_DAY]);
    for (let year = SERIES_FROM_YEAR; year < Number(asOf.slice(0, 4)); year++) days.add(`${year}-12-31`);
    for (const revision of inForce.values()) if (revision) days.add(revision.effectiveFrom);
    const dayList = [...days].sort();
    const sums = await this.tally.sumsAsOf(Object.values(MEASURES), dayList, manager);
    const stagesByTarget = new Map<string, PipelineStage[]>();
    for (const target of targets) {
      const revision = inForce.get(target.code);
      const definition = target.definition;
      if (!revision || (definition.kind !== 'count' && definition.kind !== 'coverage')) continue;
      stagesByTarget.set(
        target.code,
        await this.pipeline.stagesFor({ types: definition.types, levelFloor: definition.levelFloor, asOf, dueOn: revision.dueOn }),
      );
    }
    const progress = targets.map((target) => {
      const revision = inForce.get(target.code) ?? null;
      return computeProgress(
        {
          code: target.code,
          nameZh: target.nameZh,
          nameEn: target.nameEn,
          unitZh: target.unitZh,
          definition: target.definition,
          revision: revision ? toInForce(revision) : null,
        },
        {
          asOf,
          days: dayList,
          sums,
          counties,
          fivePlusFive,
          levels: LEVELS,
          by,
          pipeline: stagesByTarget.get(target.code) ?? [],
          pipelineAvailable: this.pipeline.available,
        },
      );
    });
    const stages = await this.pipeline.stagesFor({
      types: ['new_rd_institution', 'incubator', 'maker_space', 'key_lab'],
      levelFloor: PLATFORM_LEVELS[0] as PlatformLevel,
      asOf,
      dueOn: LATEST_AS_OF,
    });
    return { asOf, by, targets: progress, pipeline: { available: this.pipeline.available, stages } };
  }

  private async counties(manager: EntityManager, day: string): Promise<NamedCode[]> {
    const rows = await manager
      .getRepository(Region)
      .createQueryBuilder('r')
      .where("r.kind = 'county' AND r.valid_from <= :day AND (r.valid_to IS NULL OR r.valid_to > :day)", { day })
      .orderBy('r.sort_order')
      .getMany();
    return rows.map((r) => ({ code: r.code, nameZh: r.nameZh }));
  }

  private async fivePlusFive(manager: EntityManager, day: string): Promise<NamedCode[]> {
    const rows = await manager
      .getRepository(Industry)
      .createQueryBuilder('i')
      .where('i.in_five_plus_five AND i.valid_from <= :day AND (i.valid_to IS NULL OR i.valid_to > :day)', { day })
      .orderBy('i.sort_order')
      .getMany();
    return rows.map((i) => ({ code: i.code, nameZh: i.nameZh }));
  }
}
