import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Panels and inspections belong to a review round of their dossier (application.round): a dossier
 * returned and resubmitted needs a new panel or inspection, found by (dossier, round). Existing rows
 * take their dossier's current round, the one they were drawn or created in for every dossier not
 * yet resubmitted after them.
 */
export class ReviewRounds1796000016000 implements MigrationInterface {
  name = 'ReviewRounds1796000016000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "review_panel" ADD "round" integer`);
    await queryRunner.query(`UPDATE "review_panel" p SET "round" = a."round" FROM "application" a WHERE a."id" = p."application_id"`);
    await queryRunner.query(`ALTER TABLE "review_panel" ALTER COLUMN "round" SET NOT NULL`);
    await queryRunner.query(`DROP INDEX "public"."IDX_review_panel_application"`);
    await queryRunner.query(`CREATE INDEX "IDX_review_panel_application" ON "review_panel" ("application_id", "round", "drawn_at") `);

    await queryRunner.query(`ALTER TABLE "review_inspection" ADD "round" integer`);
    await queryRunner.query(`UPDATE "review_inspection" i SET "round" = a."round" FROM "application" a WHERE a."id" = i."application_id"`);
    await queryRunner.query(`ALTER TABLE "review_inspection" ALTER COLUMN "round" SET NOT NULL`);
    await queryRunner.query(`DROP INDEX "public"."UQ_review_inspection_draft_application"`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_review_inspection_draft_application" ON "review_inspection" ("application_id", "round") WHERE status = 'draft'`);
    await queryRunner.query(`DROP INDEX "public"."IDX_review_inspection_application"`);
    await queryRunner.query(`CREATE INDEX "IDX_review_inspection_application" ON "review_inspection" ("application_id", "round", "created_at") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_review_inspection_application"`);
    await queryRunner.query(`CREATE INDEX "IDX_review_inspection_application" ON "review_inspection" ("application_id", "created_at") `);
    await queryRunner.query(`DROP INDEX "public"."UQ_review_inspection_draft_application"`);
    // Several rounds may each hold a draft: only the latest keeps the one-draft-per-dossier index.
    await queryRunner.query(
      `DELETE FROM "review_inspection" i WHERE i."status" = 'draft' AND EXISTS (SELECT 1 FROM "review_inspection" n WHERE n."application_id" = i."application_id" AND n."status" = 'draft' AND n."round" > i."round")`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_review_inspection_draft_application" ON "review_inspection" ("application_id") WHERE status = 'draft'`);
    await queryRunner.query(`ALTER TABLE "review_inspection" DROP COLUMN "round"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_review_panel_application"`);
    await queryRunner.query(`CREATE INDEX "IDX_review_panel_application" ON "review_panel" ("application_id", "drawn_at") `);
    await queryRunner.query(`ALTER TABLE "review_panel" DROP COLUMN "round"`);
  }
}
