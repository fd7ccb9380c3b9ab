import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rate-limit counters shared by every API replica when there is no Redis (issue 12, defect 16),
 * and the end of the per-user lockout columns: consecutive failed sign-ins are now counted per
 * email in these counters, so that unknown and known accounts behave alike (defect 8).
 * Keys are SHA-256 hashes; rows whose window and block are over are deleted by the API.
 */
export class SharedRateLimits1796000002000 implements MigrationInterface {
  name = 'SharedRateLimits1796000002000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "rate_limit" ("key" varchar(64) NOT NULL, "hits" integer NOT NULL, "window_ends_at" timestamptz NOT NULL, "blocked_until" timestamptz, CONSTRAINT "PK_rate_limit" PRIMARY KEY ("key"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_rate_limit_window_ends_at" ON "rate_limit" ("window_ends_at")`);
    await queryRunner.query(`ALTER TABLE "app_user" DROP COLUMN "failed_logins"`);
    await queryRunner.query(`ALTER TABLE "app_user" DROP COLUMN "locked_until"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "app_user" ADD "locked_until" timestamptz`);
    await queryRunner.query(`ALTER TABLE "app_user" ADD "failed_logins" integer NOT NULL DEFAULT 0`);
    await queryRunner.query(`DROP TABLE "rate_limit"`);
  }
}
