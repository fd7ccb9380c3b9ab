import type { DataSource } from 'typeorm';
import type { AuditService } from '@app/audit';
import type { AppConfig } from '@app/config';
import { SystemClock } from '@app/common';
import { AdminBootstrap } from './admin-bootstrap';

describe('AdminBootstrap', () => {
  it('refuses a guessable ADMIN_PASSWORD with the policy every new password meets, before writing anything', async () => {
    const writes: string[] = [];
    const dataSource = {
      getRepository: () => ({ exists: async () => false }),
      transaction: async () => writes.push('transaction'),
    } as unknown as DataSource;
    const bootstrap = (password: string): AdminBootstrap =>
      new AdminBootstrap(
        dataSource,
        { adminEmail: 'first.admin@ouflow.cn', adminPassword: password } as AppConfig,
        {} as AuditService,
        new SystemClock(),
      );
    await expect(bootstrap('password1234').onApplicationBootstrap()).rejects.toMatchObject({ code: 'auth.weak_password' });
    await expect(bootstrap('first.admin-2027-pass').onApplicationBootstrap()).rejects.toMatchObject({
      code: 'auth.weak_password',
      details: { check: 'personal' },
    });
    expect(writes).toEqual([]);
  });
});
