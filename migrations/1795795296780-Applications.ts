import { MigrationInterface, QueryRunner } from "typeorm";

export class Applications1795795296780 implements MigrationInterface {
    name = 'Applications1795795296780'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "call" ("id" uuid NOT NULL, "platform_type" character varying(32) NOT NULL, "level" character varying(16) NOT NULL, "year" integer NOT NULL, "title" character varying(200) NOT NULL, "opens_at" TIMESTAMP WITH TIME ZONE NOT NULL, "closes_at" TIMESTAMP WITH TIME ZONE NOT NULL, "county_review_deadline" date, "stage_durations" jsonb NOT NULL, "quota_per_county" jsonb, "required_documents" jsonb NOT NULL, "eligibility_rules" jsonb NOT NULL, "workflow_id" character varying(64) NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'draft', "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_2098af0169792a34f9cfdd39c47" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_call_type_year" ON "call"  ("platform_type", "year") `);
        await queryRunner.query(`CREATE TABLE "application" ("id" uuid NOT NULL, "number" character varying(32), "call_id" uuid NOT NULL, "platform_type" character varying(32) NOT NULL, "level" character varying(16) NOT NULL, "year" integer NOT NULL, "organisation_id" uuid NOT NULL, "region_code" character varying(32) NOT NULL, "name" character varying(200) NOT NULL, "subtype" character varying(32), "industries" text array NOT NULL DEFAULT '{}', "form" jsonb NOT NULL DEFAULT '{}', "pledge_signed_at" TIMESTAMP WITH TIME ZONE, "promoted_from_platform_id" uuid, "stage" character varying(32) NOT NULL DEFAULT 'draft', "returned_from" character varying(32), "round" integer NOT NULL DEFAULT '0', "workflow_id" character varying(64) NOT NULL, "version" integer NOT NULL DEFAULT '1', "stage_deadline" date, "submitted_at" TIMESTAMP WITH TIME ZONE, "closed_at" TIMESTAMP WITH TIME ZONE, "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_569e0c3e863ebdf5f2408ee1670" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "IDX_application_number" ON "application"  ("number") WHERE number IS NOT NULL`);
        await queryRunner.query(`CREATE INDEX "IDX_application_call" ON "application"  ("call_id") `);
        await queryRunner.query(`CREATE INDEX "IDX_application_region_stage" ON "application"  ("region_code", "stage") `);
        await queryRunner.query(`CREATE INDEX "IDX_application_org" ON "application"  ("organisation_id") `);
        await queryRunner.query(`CREATE TABLE "application_number_counter" ("prefix" character varying(16) NOT NULL, "year" integer NOT NULL, "last_value" integer NOT NULL, CONSTRAINT "PK_b436363dfda93799c7bd3543bf4" PRIMARY KEY ("prefix", "year"))`);
        await queryRunner.query(`CREATE TABLE "application_event" ("id" uuid NOT NULL, "application_id" uuid NOT NULL, "seq" integer NOT NULL, "action" character varying(32) NOT NULL, "from_stage" character varying(32) NOT NULL, "to_stage" character varying(32) NOT NULL, "round" integer NOT NULL, "actor_user_id" uuid NOT NULL, "actor_role" character varying(24) NOT NULL, "comment" text, "input" jsonb NOT NULL DEFAULT '{}', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_dfaa2b28d25fb0223bfd1313f0a" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "UQ_application_event_seq" ON "application_event"  ("application_id", "seq") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."UQ_application_event_seq"`);
        await queryRunner.query(`DROP TABLE "application_event"`);
        await queryRunner.query(`DROP TABLE "application_number_counter"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_application_org"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_application_region_stage"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_application_call"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_application_number"`);
        await queryRunner.query(`DROP TABLE "application"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_call_type_year"`);
        await queryRunner.query(`DROP TABLE "call"`);
    }

}
