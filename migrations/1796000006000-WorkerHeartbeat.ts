import { MigrationInterface, QueryRunner } from "typeorm";

/** Each worker's last reported health (queue, SMTP), for /metrics and /health/workers: workers open no port. */
export class WorkerHeartbeat1796000006000 implements MigrationInterface {
    name = 'WorkerHeartbeat1796000006000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "worker_heartbeat" ("id" character varying(200) NOT NULL, "ready" boolean NOT NULL, "queue_up" boolean NOT NULL, "smtp_up" boolean, "smtp_error" text, "unrecorded_sends" integer NOT NULL DEFAULT '0', "started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "beat_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_01f2af48f2e75d17cbfbc2f3f61" PRIMARY KEY ("id"))`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP TABLE "worker_heartbeat"`);
    }

}
