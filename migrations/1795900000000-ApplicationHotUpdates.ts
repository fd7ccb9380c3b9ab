import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * A transition changes a dossier's stage, version, deadline and times, and no indexed column but
 * `stage`: without `stage` in an index and with room left on each page, PostgreSQL updates the row in
 * place (a HOT update) instead of adding an entry to each of the table's five indexes. Lists still
 * find a county's dossiers by `region_code`; a county holds hundreds, so `stage` filters them cheaply.
 */
export class ApplicationHotUpdates1795900000000 implements MigrationInterface {
    name = 'ApplicationHotUpdates1795900000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."IDX_application_region_stage"`);
        await queryRunner.query(`CREATE INDEX "IDX_application_region" ON "application" ("region_code") `);
        await queryRunner.query(`ALTER TABLE "application" SET (fillfactor = 80)`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "application" RESET (fillfactor)`);
        await queryRunner.query(`DROP INDEX "public"."IDX_application_region"`);
        await queryRunner.query(`CREATE INDEX "IDX_application_region_stage" ON "application" ("region_code", "stage") `);
    }

}
