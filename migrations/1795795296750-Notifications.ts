import { MigrationInterface, QueryRunner } from "typeorm";

export class Notifications1795795296750 implements MigrationInterface {
    name = 'Notifications1795795296750'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "notification_delivery" ("id" uuid NOT NULL, "event" character varying(64) NOT NULL, "recipient_user_id" uuid, "recipient_email" character varying(254) NOT NULL, "locale" character varying(8) NOT NULL DEFAULT 'zh-CN', "data" jsonb NOT NULL DEFAULT '{}', "secret_keys" text array NOT NULL DEFAULT '{}', "subject_type" character varying(32), "subject_id" character varying(64), "state" character varying(16) NOT NULL DEFAULT 'queued', "attempts" integer NOT NULL DEFAULT '0', "job_id" character varying(200) NOT NULL, "next_attempt_at" TIMESTAMP WITH TIME ZONE, "smtp_code" integer, "smtp_response" text, "message_id" character varying(255), "last_error" text, "sent_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_109dea88c25343da49d86de6bfd" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_delivery_recipient" ON "notification_delivery"  ("recipient_email", "created_at") `);
        await queryRunner.query(`CREATE INDEX "IDX_delivery_state_updated" ON "notification_delivery"  ("state", "updated_at") `);
        await queryRunner.query(`CREATE TABLE "outbox" ("id" uuid NOT NULL, "topic" character varying(16) NOT NULL, "payload" jsonb NOT NULL, "available_at" TIMESTAMP WITH TIME ZONE NOT NULL, "dispatched_at" TIMESTAMP WITH TIME ZONE, "job_id" character varying(200) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_340ab539f309f03bdaa14aa7649" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_outbox_pending" ON "outbox"  ("available_at") WHERE dispatched_at IS NULL`);
        await queryRunner.query(`CREATE TABLE "notification_timer" ("id" character varying(200) NOT NULL, "kind" character varying(64) NOT NULL, "subject_type" character varying(32) NOT NULL, "subject_id" character varying(64) NOT NULL, "fire_at" TIMESTAMP WITH TIME ZONE NOT NULL, "payload" jsonb NOT NULL DEFAULT '{}', "job_id" character varying(200) NOT NULL, "state" character varying(16) NOT NULL DEFAULT 'scheduled', "fired_at" TIMESTAMP WITH TIME ZONE, "outcome" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_0507015c2c930df692f20e1161d" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_timer_subject" ON "notification_timer"  ("subject_type", "subject_id") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."IDX_timer_subject"`);
        await queryRunner.query(`DROP TABLE "notification_timer"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_outbox_pending"`);
        await queryRunner.query(`DROP TABLE "outbox"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_delivery_state_updated"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_delivery_recipient"`);
        await queryRunner.query(`DROP TABLE "notification_delivery"`);
    }

}
