import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '@app/audit';
import { Clock, type Page, type PageQuery, offsetOf, pageOf } from '@app/common';
import { inTransaction, isUniqueViolation } from '@app/database';
import { OrganisationPolicy } from './access-policies';
import { IdentityErrors } from './identity.errors';
import { Organisation } from './organisation.entity';
import { assertIndustriesExist, assertRegionExists, normaliseCreditCode } from './reference-checks';
import type { Actor, LegalForm } from './roles';

export interface OrganisationInput {
  creditCode: string;
  name: string;
  legalForm: LegalForm;
  regionCode: string;
  industryCodes: string[];
  address: string;
  contactName: string;
  contactPhone: string;
  contactEmail?: string | null;
}

export interface OrganisationFilter {
  regionCode?: string;
  q?: string;
}

@Injectable()
export class OrganisationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async list(actor: Actor, filter: OrganisationFilter, page: PageQuery): Promise<Page<Organisation>> {
    const query = OrganisationPolicy.scope(actor, this.dataSource.getRepository(Organisation).createQueryBuilder('o'), 'o');
    if (filter.regionCode) query.andWhere('o.region_code = :region', { region: filter.regionCode });
    if (filter.q)
      query.andWhere('(o.name ILIKE :q OR o.credit_code = :code)', {
        q: `%${filter.q.replace(/[%_\\]/g, '\\$&')}%`,
        code: filter.q.toUpperCase(),
      });
    const [items, total] = await query
      .orderBy('o.created_at', 'ASC')
      .addOrderBy('o.id')
      .skip(offsetOf(page))
      .take(page.pageSize)
      .getManyAndCount();
    return pageOf(items, total, page);
  }

  /** The organisation if the actor may see it; 404 otherwise. */
  async get(actor: Actor, id: string): Promise<Organisation> {
    const query = OrganisationPolicy.scope(actor, this.dataSource.getRepository(Organisation).createQueryBuilder('o'), 'o');
    const organisation = await query.andWhere('o.id = :id', { id }).getOne();
    if (!organisation) throw IdentityErrors.organisationNotFound(id);
    return organisation;
  }

  /** The bureau registers an organisation on its behalf (no user yet). */
  async create(actor: Actor, input: OrganisationInput): Promise<Organisation> {
    const creditCode = normaliseCreditCode(input.creditCode);
    return inTransaction(this.dataSource, async (manager) => {
      await assertRegionExists(manager, input.regionCode);
      await assertIndustriesExist(manager, input.industryCodes);
      const organisation = manager.create(Organisation, {
        ...input,
        id: randomUUID(),
        creditCode,
        contactEmail: input.contactEmail?.toLowerCase() ?? null,
      });
      try {
        await manager.insert(Organisation, organisation);
      } catch (error) {
        if (isUniqueViolation(error)) throw IdentityErrors.duplicateOrganisation();
        throw error;
      }
      await this.audit.record(
        manager,
        { userId: actor.userId, role: actor.role, ip: actor.ip },
        {
          action: 'organisation.created',
          objectType: 'organisation',
          objectId: organisation.id,
          summary: { creditCode, name: input.name },
        },
      );
      return manager.findOneOrFail(Organisation, { where: { id: organisation.id } });
    });
  }

  async update(actor: Actor, id: string, patch: Partial<OrganisationInput>): Promise<Organisation> {
    const fields = Object.keys(patch).filter((key) => patch[key as keyof OrganisationInput] !== undefined);
    if (actor.role === 'applicant') {
      const restricted = fields.filter((field) => !OrganisationPolicy.editableByApplicant.has(field));
      await this.get(actor, id); // 404 before 403: others' organisations stay invisible.
      if (restricted.length > 0) throw IdentityErrors.fieldNotEditable(restricted);
    }
    return inTransaction(this.dataSource, async (manager) => {
      const scoped = OrganisationPolicy.scope(actor, manager.getRepository(Organisation).createQueryBuilder('o'), 'o');
      const current = await scoped.andWhere('o.id = :id', { id }).setLock('pessimistic_write').getOne();
      if (!current) throw IdentityErrors.organisationNotFound(id);
      const changes: Partial<Organisation> = {};
      if (patch.creditCode !== undefined) changes.creditCode = normaliseCreditCode(patch.creditCode);
      if (patch.regionCode !== undefined) {
        await assertRegionExists(manager, patch.regionCode);
        changes.regionCode = patch.regionCode;
      }
      if (patch.industryCodes !== undefined) {
        await assertIndustriesExist(manager, patch.industryCodes);
        changes.industryCodes = patch.industryCodes;
      }
      for (const key of ['name', 'legalForm', 'address', 'contactName', 'contactPhone'] as const) {
        if (patch[key] !== undefined) Object.assign(changes, { [key]: patch[key] });
      }
      if (patch.contactEmail !== undefined) changes.contactEmail = patch.contactEmail?.toLowerCase() ?? null;
      const before: Record<string, unknown> = {};
      for (const key of Object.keys(changes) as (keyof Organisation)[]) before[key] = current[key];
      try {
        await manager.update(Organisation, { id }, { ...changes, updatedAt: this.clock.now() });
      } catch (error) {
        if (isUniqueViolation(error)) throw IdentityErrors.duplicateOrganisation();
        throw error;
      }
      await this.audit.record(
        manager,
        { userId: actor.userId, role: actor.role, ip: actor.ip },
        { action: 'organisation.updated', objectType: 'organisation', objectId: id, summary: { before, after: changes } },
      );
      return manager.findOneOrFail(Organisation, { where: { id } });
    });
  }

  /** What other libs record of an organisation (a recognised platform's host), read in the caller's transaction. */
  async recordOf(manager: EntityManager, id: string): Promise<{ name: string; creditCode: string } | null> {
    const organisation = await manager.findOne(Organisation, { where: { id }, select: { name: true, creditCode: true } });
    return organisation ? { name: organisation.name, creditCode: organisation.creditCode } : null;
  }
}
