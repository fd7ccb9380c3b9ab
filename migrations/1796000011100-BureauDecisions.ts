import { MigrationInterface, QueryRunner } from "typeorm";

/** The bureau's decisions (meeting, outcome, the leader's sign-off) and their batch releases. */
export class BureauDecisions1796000011100 implements MigrationInterface {
    name = 'BureauDecisions1796000011100'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "decision_release" ("id" uuid NOT NULL, "call_id" uuid NOT NULL, "released_by" uuid NOT NULL, "released_at" TIMESTAMP WITH TIME ZONE NOT NULL, "application_ids" uuid array NOT NULL, CONSTRAINT "PK_decision_release" PRIMARY KEY ("id"))`);
        await queryRunner.query(`ALTER TABLE "decision_release" ADD CONSTRAINT "FK_decision_release_call" FOREIGN KEY ("call_id") REFERENCES "call"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`CREATE TABLE "application_decision" ("id" uuid NOT NULL, "application_id" uuid NOT NULL, "call_id" uuid NOT NULL, "outcome" character varying(16) NOT NULL, "comment" text, "meeting_kind" character varying(32) NOT NULL, "meeting_date" date NOT NULL, "meeting_reference" character varying(100) NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'pending', "recorded_by" uuid NOT NULL, "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL, "signed_by" uuid, "signed_at" TIMESTAMP WITH TIME ZONE, "release_id" uuid, CONSTRAINT "PK_application_decision" PRIMARY KEY ("id"), CONSTRAINT "CHK_application_decision_outcome" CHECK ("outcome" IN ('approve', 'reject')), CONSTRAINT "CHK_application_decision_status" CHECK ("status" IN ('pending', 'signed', 'released')), CONSTRAINT "CHK_application_decision_meeting" CHECK ("meeting_kind" IN ('director_office_meeting', 'party_group_meeting')), CONSTRAINT "CHK_application_decision_signed" CHECK ("status" = 'pending' OR ("signed_by" IS NOT NULL AND "signed_at" IS NOT NULL)), CONSTRAINT "CHK_application_decision_released" CHECK (("status" = 'released') = ("release_id" IS NOT NULL)))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "UQ_application_decision_open" ON "application_decision" ("application_id") WHERE status IN ('pending', 'signed')`);
        await queryRunner.query(`CREATE INDEX "IDX_application_decision_call" ON "application_decision" ("call_id", "status") `);
        await queryRunner.query(`ALTER TABLE "application_decision" ADD CONSTRAINT "FK_application_decision_application" FOREIGN KEY ("application_id") REFERENCES "application"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "application_decision" ADD CONSTRAINT "FK_application_decision_call" FOREIGN KEY ("call_id") REFERENCES "call"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "application_decision" ADD CONSTRAINT "FK_application_decision_release" FOREIGN KEY ("release_id") REFERENCES "decision_release"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP TABLE "application_decision"`);
        await queryRunner.query(`DROP TABLE "decision_release"`);
    }

}
