import { MigrationInterface, QueryRunner } from "typeorm";

/** Site inspections (libs/reviews): team, date, checklist with evidence, result and sign-off. */
export class SiteInspections1796000011000 implements MigrationInterface {
    name = 'SiteInspections1796000011000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "review_inspection" ("id" uuid NOT NULL, "application_id" uuid NOT NULL, "call_id" uuid NOT NULL, "visit_date" date NOT NULL, "team" jsonb NOT NULL, "checklist" jsonb NOT NULL, "result" character varying(16), "result_note" text, "status" character varying(16) NOT NULL DEFAULT 'draft', "signed_at" TIMESTAMP WITH TIME ZONE, "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_review_inspection" PRIMARY KEY ("id"), CONSTRAINT "CHK_review_inspection_status" CHECK ("status" IN ('draft', 'signed')), CONSTRAINT "CHK_review_inspection_result" CHECK ("result" IS NULL OR "result" IN ('passed', 'failed')), CONSTRAINT "CHK_review_inspection_signed" CHECK ("status" = 'draft' OR ("result" IS NOT NULL AND "signed_at" IS NOT NULL)))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "UQ_review_inspection_draft_application" ON "review_inspection" ("application_id") WHERE status = 'draft'`);
        await queryRunner.query(`CREATE INDEX "IDX_review_inspection_application" ON "review_inspection" ("application_id", "created_at") `);
        await queryRunner.query(`ALTER TABLE "review_inspection" ADD CONSTRAINT "FK_review_inspection_application" FOREIGN KEY ("application_id") REFERENCES "application"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP TABLE "review_inspection"`);
    }

}
