import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '@app/audit';
import { Clock, type Page, type PageQuery, offsetOf, pageOf } from '@app/common';
import { inTransaction, isUniqueViolation } from '@app/database';
import { UserPolicy } from './access-policies';
import { AccountTokensService } from './account-tokens.service';
import { AuthService } from './auth.service';
import { IdentityErrors } from './identity.errors';
import { Organisation } from './organisation.entity';
import { OrganisationsService } from './organisations.service';
import { assertIndustriesExist, assertRegionExists, normaliseCreditCode } from './reference-checks';
import type { Actor, Role, UserLocale } from './roles';
import { User } from './user.entity';

export interface NewUserInput {
  email: string;
  name: string;
  role: Role;
  locale?: UserLocale;
  organisationId?: string;
  regionCode?: string;
  expertise?: string[];
  employerName?: string;
  employerCreditCode?: string;
}

export interface UserPatch {
  name?: string;
  locale?: UserLocale;
  disabled?: boolean;
  regionCode?: string;
  expertise?: string[];
  employerName?: string | null;
  employerCreditCode?: string | null;
}

export interface UserFilter {
  role?: Role;
  organisationId?: string;
  regionCode?: string;
}

const ROLE_NAMES: Record<Role, string> = {
  applicant: '申报单位用户 / Applicant',
  county_officer: '县级管理员 / County officer',
  bureau_officer: '市科技局工作人员 / Bureau officer',
  expert: '评审专家 / Expert',
  leader: '局领导 / Leader',
  admin: '系统管理员 / Administrator',
};

/** Accounts: listing within scope, staff accounts made by admins, members invited by an organisation's first user. */
@Injectable()
export class UsersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly accountTokens: AccountTokensService,
    private readonly auth: AuthService,
    private readonly organisations: OrganisationsService,
    private readonly clock: Clock,
  ) {}

  async list(actor: Actor, filter: UserFilter, page: PageQuery): Promise<Page<User>> {
    const query = UserPolicy.scope(actor, this.dataSource.getRepository(User).createQueryBuilder('u'), 'u');
    if (filter.role) query.andWhere('u.role = :role', { role: filter.role });
    if (filter.organisationId) query.andWhere('u.organisation_id = :org', { org: filter.organisationId });
    if (filter.regionCode) query.andWhere('u.region_code = :region', { region: filter.regionCode });
    const [items, total] = await query
      .orderBy('u.created_at', 'ASC')
      .addOrderBy('u.id')
      .skip(offsetOf(page))
      .take(page.pageSize)
      .getManyAndCount();
    return pageOf(items, total, page);
  }

  async get(actor: Actor, id: string): Promise<User> {
    const user = await UserPolicy.scope(actor, this.dataSource.getRepository(User).createQueryBuilder('u'), 'u')
      .andWhere('u.id = :id', { id })
      .getOne();
    if (!user) throw IdentityErrors.userNotFound(id);
    return user;
  }

  /** An admin opens an account; the user receives a link to set a password. */
  async create(actor: Actor, input: NewUserInput): Promise<User> {
    return inTransaction(this.dataSource, async (manager) => {
      const scope = await this.scopeFor(manager, input);
      const user = manager.create(User, {
        id: randomUUID(),
        email: input.email.trim().toLowerCase(),
        name: input.name,
        role: input.role,
        locale: input.locale ?? 'zh-CN',
        ...scope,
        isOrganisationOwner: false,
        passwordHash: null,
        emailVerifiedAt: null,
      });
      await this.insertUser(manager, user);
      await this.audit.record(
        manager,
        { userId: actor.userId, role: actor.role, ip: actor.ip },
        { action: 'user.created', objectType: 'user', objectId: user.id, summary: { email: user.email, role: user.role, ...scope } },
      );
      await this.accountTokens.issueAndMail(manager, user, 'set_password', { roleName: ROLE_NAMES[user.role] });
      return manager.findOneOrFail(User, { where: { id: user.id } });
    });
  }

  /** An admin changes an account. Disabling it ends all its sessions at once. */
  async update(actor: Actor, id: string, patch: UserPatch): Promise<User> {
    if (patch.disabled === true && id === actor.userId) throw IdentityErrors.cannotDisableSelf();
    const updated = await inTransaction(this.dataSource, async (manager) => {
      const current = await manager.findOne(User, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!current) throw IdentityErrors.userNotFound(id);
      const changes: Partial<User> = {};
      if (patch.name !== undefined) changes.name = patch.name;
      if (patch.locale !== undefined) changes.locale = patch.locale;
      if (patch.disabled !== undefined) changes.disabled = patch.disabled;
      if (patch.regionCode !== undefined) {
        if (current.role !== 'county_officer')
          throw IdentityErrors.invalidScope('只有县级管理员有所属地区。Only county officers have a region.');
        await assertRegionExists(manager, patch.regionCode);
        changes.regionCode = patch.regionCode;
      }
      if (patch.expertise !== undefined || patch.employerName !== undefined || patch.employerCreditCode !== undefined) {
        if (current.role !== 'expert')
          throw IdentityErrors.invalidScope('只有专家有专业领域和工作单位。Only experts have expertise and an employer.');
        if (patch.expertise !== undefined) {
          await assertIndustriesExist(manager, patch.expertise);
          changes.expertise = patch.expertise;
        }
        if (patch.employerName !== undefined) changes.employerName = patch.employerName;
        if (patch.employerCreditCode !== undefined)
          changes.employerCreditCode = patch.employerCreditCode === null ? null : normaliseCreditCode(patch.employerCreditCode);
      }
      const before: Record<string, unknown> = {};
      for (const key of Object.keys(changes) as (keyof User)[]) before[key] = current[key];
      await manager.update(User, { id }, { ...changes, updatedAt: this.clock.now() });
      if (patch.disabled === true) await this.auth.revokeSessions(manager, { userId: id }, 'user_disabled');
      await this.audit.record(
        manager,
        { userId: actor.userId, role: actor.role, ip: actor.ip },
        {
          action: patch.disabled === true && !current.disabled ? 'user.disabled' : 'user.updated',
          objectType: 'user',
          objectId: id,
          summary: { before, after: changes },
        },
      );
      return manager.findOneOrFail(User, { where: { id } });
    });
    // Again after commit: a request in between may have cached a session as still live.
    if (patch.disabled === true) await this.auth.forgetUserSessions(id);
    return updated;
  }

  /** The organisation's first user invites a colleague, who sets a password from the mail. */
  async invite(actor: Actor, organisationId: string, input: { email: string; name: string; locale?: UserLocale }): Promise<User> {
    const organisation = await this.organisations.get(actor, organisationId);
    const inviter = await this.dataSource.getRepository(User).findOneOrFail({ where: { id: actor.userId } });
    if (!inviter.isOrganisationOwner || inviter.organisationId !== organisation.id) throw IdentityErrors.notOwner();
    return inTransaction(this.dataSource, async (manager) => {
      const user = manager.create(User, {
        id: randomUUID(),
        email: input.email.trim().toLowerCase(),
        name: input.name,
        role: 'applicant',
        locale: input.locale ?? 'zh-CN',
        organisationId: organisation.id,
        isOrganisationOwner: false,
        passwordHash: null,
        emailVerifiedAt: null,
      });
      await this.insertUser(manager, user);
      await this.audit.record(
        manager,
        { userId: actor.userId, role: actor.role, ip: actor.ip },
        { action: 'user.invited', objectType: 'user', objectId: user.id, summary: { email: user.email, organisationId: organisation.id } },
      );
      await this.accountTokens.issueAndMail(manager, user, 'invitation', {
        inviterName: inviter.name,
        organisationName: organisation.name,
      });
      return manager.findOneOrFail(User, { where: { id: user.id } });
    });
  }

  /** Checks and returns the scope fields the role needs, and only those. */
  private async scopeFor(manager: EntityManager, input: NewUserInput): Promise<Partial<User>> {
    const extra = (allowed: (keyof NewUserInput)[]): string[] =>
      (['organisationId', 'regionCode', 'expertise', 'employerName', 'employerCreditCode'] as const).filter(
        (key) => input[key] !== undefined && !allowed.includes(key),
      );
    const refuseExtra = (allowed: (keyof NewUserInput)[]): void => {
      const fields = extra(allowed);
      if (fields.length > 0) {
        throw IdentityErrors.invalidScope(`角色“${ROLE_NAMES[input.role]}”不使用这些字段。The role does not take these fields.`, {
          fields,
        });
      }
    };
    switch (input.role) {
      case 'applicant': {
        refuseExtra(['organisationId']);
        if (!input.organisationId || !(await manager.exists(Organisation, { where: { id: input.organisationId } }))) {
          throw IdentityErrors.invalidScope('申报单位用户须属于一个已登记的单位。An applicant needs an existing organisation.', {
            field: 'organisationId',
          });
        }
        return { organisationId: input.organisationId };
      }
      case 'county_officer':
        refuseExtra(['regionCode']);
        if (!input.regionCode)
          throw IdentityErrors.invalidScope('县级管理员须指定所属县（市、区）或功能区。A county officer needs a region.', {
            field: 'regionCode',
          });
        await assertRegionExists(manager, input.regionCode);
        return { regionCode: input.regionCode };
      case 'expert': {
        refuseExtra(['expertise', 'employerName', 'employerCreditCode']);
        if (!input.expertise || input.expertise.length === 0) {
          throw IdentityErrors.invalidScope('专家须至少有一个专业领域。An expert needs at least one field of expertise.', {
            field: 'expertise',
          });
        }
        await assertIndustriesExist(manager, input.expertise);
        return {
          expertise: input.expertise,
          employerName: input.employerName ?? null,
          employerCreditCode: input.employerCreditCode ? normaliseCreditCode(input.employerCreditCode) : null,
        };
      }
      default:
        refuseExtra([]);
        return {};
    }
  }

  private async insertUser(manager: EntityManager, user: User): Promise<void> {
    try {
      await manager.insert(User, user);
    } catch (error) {
      if (isUniqueViolation(error)) throw IdentityErrors.duplicateEmail();
      throw error;
    }
  }
}
