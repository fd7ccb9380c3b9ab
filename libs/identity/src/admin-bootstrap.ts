import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AuditService } from '@app/audit';
import { Clock } from '@app/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { inTransaction } from '@app/database';
import { assertPasswordAcceptable } from './password-policy';
import { hashPassword } from './secrets';

const ADMIN_NAME = '系统管理员';
import { User } from './user.entity';

/**
 * The first administrator of a real deployment, from ADMIN_EMAIL and ADMIN_PASSWORD, created at
 * start-up only while no admin exists. An advisory lock keeps two replicas starting together from
 * both creating one.
 */
@Injectable()
export class AdminBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger('AdminBootstrap');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { adminEmail, adminPassword } = this.config;
    if (!adminEmail || !adminPassword) return;
    if (await this.dataSource.getRepository(User).exists({ where: { role: 'admin' } })) return;
    // The same policy as every other new password: a weak ADMIN_PASSWORD stops the start.
    assertPasswordAcceptable(adminPassword, { email: adminEmail, name: ADMIN_NAME });
    const passwordHash = await hashPassword(adminPassword);
    const created = await inTransaction(this.dataSource, async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('ouflow:first-admin', 0))`);
      if (await manager.exists(User, { where: { role: 'admin' } })) return false;
      const id = randomUUID();
      await manager.insert(User, {
        id,
        email: adminEmail,
        name: ADMIN_NAME,
        role: 'admin',
        locale: 'zh-CN',
        passwordHash,
        emailVerifiedAt: this.clock.now(),
      });
      await this.audit.record(
        manager,
        { userId: null, role: null, ip: null },
        { action: 'user.first_admin_created', objectType: 'user', objectId: id, summary: { email: adminEmail } },
      );
      return true;
    });
    if (created) this.logger.log(`Created the first administrator ${adminEmail} from ADMIN_EMAIL`);
  }
}
