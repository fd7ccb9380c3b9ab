import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A dossier's latest panel (the expert review's verdict, the appeal's exclusions) is found by its dossier, closed or open. */
export class ReviewPanelByApplication1796000013000 implements MigrationInterface {
  name = 'ReviewPanelByApplication1796000013000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "IDX_review_panel_application" ON "review_panel" ("application_id", "drawn_at") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_review_panel_application"`);
  }
}
