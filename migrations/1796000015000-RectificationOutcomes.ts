import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A rectification closes as passed or failed, with who closed it and the finding; a platform carries
 * the revocation the registry suggests (two failing grades in a row, a failed rectification).
 */
export class RectificationOutcomes1796000015000 implements MigrationInterface {
  name = 'RectificationOutcomes1796000015000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "rectification" ADD "closed_by" uuid`);
    await queryRunner.query(`ALTER TABLE "rectification" ADD "closing_note" text`);
    // 'closed' was never written (nothing closed a rectification); it meant what 'passed' now says.
    await queryRunner.query(`UPDATE "rectification" SET "status" = 'passed' WHERE "status" = 'closed'`);
    await queryRunner.query(`ALTER TABLE "platform" ADD "revocation_suggested_reason" character varying(32)`);
    await queryRunner.query(`ALTER TABLE "platform" ADD "revocation_suggested_on" date`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "platform" DROP COLUMN "revocation_suggested_on"`);
    await queryRunner.query(`ALTER TABLE "platform" DROP COLUMN "revocation_suggested_reason"`);
    await queryRunner.query(`UPDATE "rectification" SET "status" = 'closed' WHERE "status" = 'passed'`);
    await queryRunner.query(`ALTER TABLE "rectification" DROP COLUMN "closing_note"`);
    await queryRunner.query(`ALTER TABLE "rectification" DROP COLUMN "closed_by"`);
  }
}
