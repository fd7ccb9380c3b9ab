import { MigrationInterface, QueryRunner } from "typeorm";

/** Public notices (libs/notices): the notice, its candidates as published, the objections lodged against them; appeals and each call's appeal terms. */
export class Notices1796000012000 implements MigrationInterface {
    name = 'Notices1796000012000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "notice" ("id" uuid NOT NULL, "call_id" uuid NOT NULL, "title" character varying(200) NOT NULL, "days" integer NOT NULL, "first_day" date NOT NULL, "last_day" date NOT NULL, "closes_at" TIMESTAMP WITH TIME ZONE NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'open', "published_by" uuid NOT NULL, "published_at" TIMESTAMP WITH TIME ZONE NOT NULL, "closed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_notice" PRIMARY KEY ("id"), CONSTRAINT "CHK_notice_status" CHECK ("status" IN ('open', 'closed')), CONSTRAINT "CHK_notice_days" CHECK ("days" >= 1))`);
        await queryRunner.query(`CREATE INDEX "IDX_notice_call" ON "notice" ("call_id") `);
        await queryRunner.query(`CREATE INDEX "IDX_notice_status" ON "notice" ("status", "closes_at") `);
        await queryRunner.query(`ALTER TABLE "notice" ADD CONSTRAINT "FK_notice_call" FOREIGN KEY ("call_id") REFERENCES "call"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`CREATE TABLE "notice_candidate" ("id" uuid NOT NULL, "notice_id" uuid NOT NULL, "application_id" uuid NOT NULL, "position" integer NOT NULL, "number" character varying(40), "name" character varying(200) NOT NULL, "platform_type" character varying(32) NOT NULL, "level" character varying(16) NOT NULL, "region_code" character varying(32) NOT NULL, "county_name" character varying(64) NOT NULL, "host_organisation_name" character varying(200) NOT NULL, "outcome" character varying(16) NOT NULL DEFAULT 'listed', CONSTRAINT "PK_notice_candidate" PRIMARY KEY ("id"), CONSTRAINT "CHK_notice_candidate_outcome" CHECK ("outcome" IN ('listed', 'closed', 'upheld')))`);
        await queryRunner.query(`CREATE INDEX "IDX_notice_candidate_notice" ON "notice_candidate" ("notice_id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "UQ_notice_candidate_listed" ON "notice_candidate" ("application_id") WHERE outcome = 'listed'`);
        await queryRunner.query(`ALTER TABLE "notice_candidate" ADD CONSTRAINT "FK_notice_candidate_notice" FOREIGN KEY ("notice_id") REFERENCES "notice"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "notice_candidate" ADD CONSTRAINT "FK_notice_candidate_application" FOREIGN KEY ("application_id") REFERENCES "application"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`CREATE TABLE "notice_objection" ("id" uuid NOT NULL, "notice_id" uuid NOT NULL, "candidate_id" uuid NOT NULL, "application_id" uuid NOT NULL, "receipt" character varying(16) NOT NULL, "objector_type" character varying(16) NOT NULL, "objector_name" character varying(50) NOT NULL, "organisation_name" character varying(200), "contact" character varying(100) NOT NULL, "text" text NOT NULL, "letter" bytea, "letter_received_at" TIMESTAMP WITH TIME ZONE, "status" character varying(16) NOT NULL DEFAULT 'open', "upheld_outcome" character varying(16), "resolution" text, "decided_by" uuid, "decided_at" TIMESTAMP WITH TIME ZONE, "lodged_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_notice_objection" PRIMARY KEY ("id"), CONSTRAINT "CHK_notice_objection_status" CHECK ("status" IN ('open', 'upheld', 'dismissed')), CONSTRAINT "CHK_notice_objection_objector" CHECK ("objector_type" IN ('person', 'organisation')))`);
        await queryRunner.query(`CREATE INDEX "IDX_notice_objection_notice" ON "notice_objection" ("notice_id") `);
        await queryRunner.query(`CREATE INDEX "IDX_notice_objection_application" ON "notice_objection" ("application_id", "status") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "UQ_notice_objection_receipt" ON "notice_objection" ("receipt") `);
        await queryRunner.query(`ALTER TABLE "notice_objection" ADD CONSTRAINT "FK_notice_objection_notice" FOREIGN KEY ("notice_id") REFERENCES "notice"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "notice_objection" ADD CONSTRAINT "FK_notice_objection_candidate" FOREIGN KEY ("candidate_id") REFERENCES "notice_candidate"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`CREATE TABLE "appeal_terms" ("call_id" uuid NOT NULL, "enabled" boolean NOT NULL, "window_days" integer NOT NULL, "return_to" character varying(32) NOT NULL, "updated_by" uuid NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_appeal_terms" PRIMARY KEY ("call_id"), CONSTRAINT "CHK_appeal_terms_window" CHECK ("window_days" BETWEEN 1 AND 60))`);
        await queryRunner.query(`ALTER TABLE "appeal_terms" ADD CONSTRAINT "FK_appeal_terms_call" FOREIGN KEY ("call_id") REFERENCES "call"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`CREATE TABLE "appeal" ("id" uuid NOT NULL, "application_id" uuid NOT NULL, "call_id" uuid NOT NULL, "organisation_id" uuid NOT NULL, "decision_event_id" uuid NOT NULL, "decision_event_seq" integer NOT NULL, "decided_at" TIMESTAMP WITH TIME ZONE NOT NULL, "window_last_day" date NOT NULL, "reasons" text NOT NULL, "evidence" text NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'lodged', "return_to" character varying(32) NOT NULL, "resolution" text, "lodged_by" uuid NOT NULL, "lodged_at" TIMESTAMP WITH TIME ZONE NOT NULL, "resolved_by" uuid, "resolved_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_appeal" PRIMARY KEY ("id"), CONSTRAINT "CHK_appeal_status" CHECK ("status" IN ('lodged', 'upheld', 'dismissed')))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "UQ_appeal_application" ON "appeal" ("application_id") `);
        await queryRunner.query(`ALTER TABLE "appeal" ADD CONSTRAINT "FK_appeal_application" FOREIGN KEY ("application_id") REFERENCES "application"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "appeal" ADD CONSTRAINT "FK_appeal_decision_event" FOREIGN KEY ("decision_event_id") REFERENCES "application_event"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP TABLE "appeal"`);
        await queryRunner.query(`DROP TABLE "appeal_terms"`);
        await queryRunner.query(`DROP TABLE "notice_objection"`);
        await queryRunner.query(`DROP TABLE "notice_candidate"`);
        await queryRunner.query(`DROP TABLE "notice"`);
    }

}
