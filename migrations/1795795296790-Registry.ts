import { MigrationInterface, QueryRunner } from "typeorm";

export class Registry1795795296790 implements MigrationInterface {
    name = 'Registry1795795296790'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "platform" ("id" uuid NOT NULL, "type" character varying(32) NOT NULL, "level" character varying(16) NOT NULL, "subtype" character varying(32), "name" character varying(200) NOT NULL, "organisation_id" uuid, "organisation_name" character varying(200) NOT NULL, "credit_code" character varying(18), "region_code" character varying(32) NOT NULL, "county_code" character varying(32) NOT NULL, "industries" text array NOT NULL DEFAULT '{}', "recognised_on" date NOT NULL, "document_number" character varying(100) NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'active', "revoked_on" date, "revocation_reason" character varying(32), "revocation_document_number" character varying(100), "reapplication_banned_until" date, "promoted_from_id" uuid, "lineage_id" uuid NOT NULL, "application_id" uuid, "professional_operator" boolean NOT NULL DEFAULT false, "source" character varying(16) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_c33d6abeebd214bd2850bfd6b8e" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_platform_organisation" ON "platform"  ("organisation_id") `);
        await queryRunner.query(`CREATE INDEX "IDX_platform_lineage" ON "platform"  ("lineage_id") `);
        await queryRunner.query(`CREATE INDEX "IDX_platform_active_county" ON "platform"  ("county_code", "type", "level") WHERE "status" = 'active'`);
        await queryRunner.query(`CREATE INDEX "IDX_platform_counting" ON "platform"  ("type", "level", "recognised_on", "revoked_on", "lineage_id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "UQ_platform_application" ON "platform"  ("application_id") WHERE "application_id" IS NOT NULL`);
        await queryRunner.query(`CREATE UNIQUE INDEX "UQ_platform_document_name_level" ON "platform"  ("document_number", "name", "level") `);
        await queryRunner.query(`CREATE TABLE "annual_report" ("id" uuid NOT NULL, "platform_id" uuid NOT NULL, "year" integer NOT NULL, "filed_on" date NOT NULL, "incubated_enterprises" integer, "graduated_enterprises" integer, "area_m2" numeric(14,2), "staff" integer, "rd_spend_yuan" numeric(16,2), "financing_yuan" numeric(16,2), "torch" jsonb NOT NULL DEFAULT '{}', "filed_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_179c069d159f727564717be27a7" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "UQ_annual_report_platform_year" ON "annual_report"  ("platform_id", "year") `);
        await queryRunner.query(`CREATE TABLE "evaluation" ("id" uuid NOT NULL, "platform_id" uuid NOT NULL, "year" integer NOT NULL, "score" numeric(5,2), "grade" character varying(16) NOT NULL, "evaluated_on" date NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_b72edd439b9db736f55b584fa54" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "UQ_evaluation_platform_year" ON "evaluation"  ("platform_id", "year") `);
        await queryRunner.query(`CREATE TABLE "evaluation_threshold" ("platform_type" character varying(32) NOT NULL, "from_year" integer NOT NULL, "excellent_min" numeric(5,2) NOT NULL, "good_min" numeric(5,2) NOT NULL, "pass_min" numeric(5,2) NOT NULL, "report_due" character varying(5) NOT NULL, "build_period_years" integer NOT NULL DEFAULT '0', "rectification_months" integer NOT NULL DEFAULT '6', CONSTRAINT "PK_f716a9c38939b160bf3e487f99b" PRIMARY KEY ("platform_type", "from_year"))`);
        await queryRunner.query(`CREATE TABLE "rectification" ("id" uuid NOT NULL, "platform_id" uuid NOT NULL, "evaluation_id" uuid NOT NULL, "opened_on" date NOT NULL, "deadline" date NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'open', "closed_on" date, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_490098febcd6556a2ad09c7f368" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_rectification_platform" ON "rectification"  ("platform_id") `);
        await queryRunner.query(`CREATE TABLE "platform_change" ("id" uuid NOT NULL, "platform_id" uuid NOT NULL, "field" character varying(16) NOT NULL, "old_value" text, "new_value" text NOT NULL, "changed_on" date NOT NULL, "document_number" character varying(100), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_fbe3c8edad61785400db7778319" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_platform_change_platform" ON "platform_change"  ("platform_id", "changed_on") `);
        await queryRunner.query(`CREATE TABLE "registry_tally" ("measure" character varying(24) NOT NULL, "grain" character(1) NOT NULL, "period" date NOT NULL, "platform_type" character varying(32) NOT NULL, "level" character varying(16) NOT NULL, "county_code" character varying(32) NOT NULL DEFAULT '', "industry_code" character varying(64) NOT NULL DEFAULT '', "delta" numeric(20,2) NOT NULL DEFAULT '0', CONSTRAINT "PK_4f7d88f8d15eed6d39534546979" PRIMARY KEY ("measure", "grain", "period", "platform_type", "level", "county_code", "industry_code"))`);
        await queryRunner.query(`ALTER TABLE "annual_report" ADD CONSTRAINT "FK_a4d077fbbac0185aa8ebd285867" FOREIGN KEY ("platform_id") REFERENCES "platform"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "evaluation" ADD CONSTRAINT "FK_e087fd7f7fe46774af453e15560" FOREIGN KEY ("platform_id") REFERENCES "platform"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "rectification" ADD CONSTRAINT "FK_d9190d9497daf9f659dce893e64" FOREIGN KEY ("platform_id") REFERENCES "platform"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "platform_change" ADD CONSTRAINT "FK_100c06d6b462cc8bdb24f9fdabd" FOREIGN KEY ("platform_id") REFERENCES "platform"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "platform_change" DROP CONSTRAINT "FK_100c06d6b462cc8bdb24f9fdabd"`);
        await queryRunner.query(`ALTER TABLE "rectification" DROP CONSTRAINT "FK_d9190d9497daf9f659dce893e64"`);
        await queryRunner.query(`ALTER TABLE "evaluation" DROP CONSTRAINT "FK_e087fd7f7fe46774af453e15560"`);
        await queryRunner.query(`ALTER TABLE "annual_report" DROP CONSTRAINT "FK_a4d077fbbac0185aa8ebd285867"`);
        await queryRunner.query(`DROP TABLE "registry_tally"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_platform_change_platform"`);
        await queryRunner.query(`DROP TABLE "platform_change"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_rectification_platform"`);
        await queryRunner.query(`DROP TABLE "rectification"`);
        await queryRunner.query(`DROP TABLE "evaluation_threshold"`);
        await queryRunner.query(`DROP INDEX "public"."UQ_evaluation_platform_year"`);
        await queryRunner.query(`DROP TABLE "evaluation"`);
        await queryRunner.query(`DROP INDEX "public"."UQ_annual_report_platform_year"`);
        await queryRunner.query(`DROP TABLE "annual_report"`);
        await queryRunner.query(`DROP INDEX "public"."UQ_platform_document_name_level"`);
        await queryRunner.query(`DROP INDEX "public"."UQ_platform_application"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_platform_counting"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_platform_active_county"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_platform_lineage"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_platform_organisation"`);
        await queryRunner.query(`DROP TABLE "platform"`);
    }

}
