import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Due dates that drive the reviews' reminders: an expert's declaration and scoring, an inspection
 * team's sign-off; and the redraws of a panel's vacant seats, each with its own recorded seed.
 */
export class ReviewDueDates1796000014000 implements MigrationInterface {
  name = 'ReviewDueDates1796000014000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "review_assignment" ADD "declaration_due" date`);
    await queryRunner.query(`ALTER TABLE "review_assignment" ADD "scoring_due" date`);
    await queryRunner.query(`ALTER TABLE "review_inspection" ADD "sign_due" date`);
    await queryRunner.query(`ALTER TABLE "review_panel" ADD "redraws" jsonb NOT NULL DEFAULT '[]'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "review_panel" DROP COLUMN "redraws"`);
    await queryRunner.query(`ALTER TABLE "review_inspection" DROP COLUMN "sign_due"`);
    await queryRunner.query(`ALTER TABLE "review_assignment" DROP COLUMN "scoring_due"`);
    await queryRunner.query(`ALTER TABLE "review_assignment" DROP COLUMN "declaration_due"`);
  }
}
