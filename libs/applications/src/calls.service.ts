import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AuditService } from '@app/audit';
import { type Page, type PageQuery, offsetOf, pageOf } from '@app/common';
import { inTransaction } from '@app/database';
import type { Actor } from '@app/identity';
import { DEFAULT_DURATIONS, type StageDurations, currentDefinition } from '@app/workflow';
import { ApplicationErrors } from './applications.errors';
import { Call, type CallStatus, type RequiredDocument } from './call.entity';
import { defaultRules } from './eligibility/default-rules';
import type { EligibilityRule } from './eligibility/eligibility.types';
import { DomainError } from '@app/common';

export interface CallInput {
  platformType: string;
  level: string;
  year: number;
  title: string;
  opensAt: Date;
  closesAt: Date;
  countyReviewDeadline?: string | null;
  stageDurations?: Partial<StageDurations>;
  quotaPerCounty?: Record<string, number> | null;
  requiredDocuments?: RequiredDocument[];
  eligibilityRules?: EligibilityRule[];
}

export interface CallChanges extends Partial<CallInput> {
  status?: CallStatus;
}

export const DEFAULT_DOCUMENTS: RequiredDocument[] = [
  { code: 'business_licence', nameZh: '营业执照或法人证书', nameEn: 'Business licence or legal person certificate', required: true },
  { code: 'integrity_pledge', nameZh: '诚信承诺书', nameEn: 'Signed integrity pledge', required: true },
  { code: 'site_proof', nameZh: '场地产权或租赁证明', nameEn: 'Proof of site ownership or lease', required: false },
  // Uploaded by the county officer, who recommends with it (DOMAIN.md §5 stage 2); not asked of the applicant.
  { code: 'recommendation_letter', nameZh: '县（市、区）推荐函', nameEn: "The county's recommendation letter", required: true },
];

const NEXT_STATUS: Record<CallStatus, CallStatus[]> = { draft: ['open'], open: ['closed'], closed: [] };

@Injectable()
export class CallsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async create(actor: Actor, input: CallInput): Promise<Call> {
    const definition = currentDefinition(input.platformType, input.level);
    if (!definition) {
      throw new DomainError('validation', 'call.unsupported_level', '该类型平台不设此级别。This platform type has no such level.', {
        platformType: input.platformType,
        level: input.level,
      });
    }
    this.checkWindow(input.opensAt, input.closesAt);
    return inTransaction(this.dataSource, async (manager) => {
      const call = manager.create(Call, {
        id: randomUUID(),
        platformType: input.platformType,
        level: input.level,
        year: input.year,
        title: input.title,
        opensAt: input.opensAt,
        closesAt: input.closesAt,
        countyReviewDeadline: input.countyReviewDeadline ?? null,
        stageDurations: { ...DEFAULT_DURATIONS, ...(input.stageDurations ?? {}) },
        quotaPerCounty: input.quotaPerCounty ?? null,
        requiredDocuments: input.requiredDocuments ?? DEFAULT_DOCUMENTS,
        eligibilityRules: input.eligibilityRules ?? defaultRules(input.platformType, input.level),
        workflowId: definition.id,
        status: 'draft',
        createdBy: actor.userId,
      });
      await manager.insert(Call, call);
      await this.audit.record(manager, actor, {
        action: 'call.create',
        objectType: 'call',
        objectId: call.id,
        summary: { title: call.title },
      });
      return call;
    });
  }

  async update(actor: Actor, id: string, changes: CallChanges): Promise<Call> {
    return inTransaction(this.dataSource, async (manager) => {
      const call = await manager.findOne(Call, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!call) throw ApplicationErrors.callNotFound(id);
      const { status, ...fields } = changes;
      if (Object.keys(fields).length > 0 && call.status !== 'draft') {
        // Once open, only the window and deadlines may move; the rules applicants answer to stay.
        const allowed = new Set(['closesAt', 'countyReviewDeadline', 'title']);
        const blocked = Object.keys(fields).filter((key) => !allowed.has(key));
        if (blocked.length > 0) {
          throw new DomainError(
            'conflict',
            'call.locked',
            '申报通知已发布，只能调整截止时间和标题。An open call only allows changing its deadlines and title.',
            { blocked },
          );
        }
      }
      if (fields.platformType || fields.level) {
        const definition = currentDefinition(fields.platformType ?? call.platformType, fields.level ?? call.level);
        if (!definition)
          throw new DomainError('validation', 'call.unsupported_level', '该类型平台不设此级别。This platform type has no such level.');
        call.workflowId = definition.id;
      }
      Object.assign(call, {
        ...fields,
        stageDurations: fields.stageDurations ? { ...call.stageDurations, ...fields.stageDurations } : call.stageDurations,
      });
      this.checkWindow(call.opensAt, call.closesAt);
      if (status && status !== call.status) {
        if (!NEXT_STATUS[call.status].includes(status)) {
          throw new DomainError('conflict', 'call.invalid_status', `申报通知不能从 ${call.status} 变为 ${status}。Invalid status change.`, {
            from: call.status,
            to: status,
          });
        }
        call.status = status;
      }
      await manager.save(Call, call);
      await this.audit.record(manager, actor, {
        action: 'call.update',
        objectType: 'call',
        objectId: call.id,
        summary: { fields: Object.keys(changes) },
      });
      return call;
    });
  }

  async list(
    actor: Actor,
    filter: { platformType?: string; level?: string; year?: number; status?: CallStatus },
    page: PageQuery,
  ): Promise<Page<Call>> {
    const query = this.dataSource.getRepository(Call).createQueryBuilder('c');
    // Applicants and experts do not see calls still being drafted.
    if (actor.role !== 'bureau_officer' && actor.role !== 'admin' && actor.role !== 'leader') query.andWhere(`c.status <> 'draft'`);
    if (filter.platformType) query.andWhere('c.platform_type = :type', { type: filter.platformType });
    if (filter.level) query.andWhere('c.level = :level', { level: filter.level });
    if (filter.year) query.andWhere('c.year = :year', { year: filter.year });
    if (filter.status) query.andWhere('c.status = :status', { status: filter.status });
    const [items, total] = await query
      .orderBy('c.opens_at', 'DESC')
      .addOrderBy('c.id')
      .skip(offsetOf(page))
      .take(page.pageSize)
      .getManyAndCount();
    return pageOf(items, total, page);
  }

  async get(actor: Actor, id: string): Promise<Call> {
    const call = await this.dataSource.getRepository(Call).findOne({ where: { id } });
    if (!call || (call.status === 'draft' && !['bureau_officer', 'admin', 'leader'].includes(actor.role)))
      throw ApplicationErrors.callNotFound(id);
    return call;
  }

  private checkWindow(opensAt: Date, closesAt: Date): void {
    if (!(closesAt.getTime() > opensAt.getTime())) {
      throw new DomainError('validation', 'call.invalid_window', '截止时间须晚于开始时间。The call must close after it opens.', {
        opensAt: opensAt.toISOString(),
        closesAt: closesAt.toISOString(),
      });
    }
  }
}
