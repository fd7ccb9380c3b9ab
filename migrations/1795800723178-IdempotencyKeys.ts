import { MigrationInterface, QueryRunner } from "typeorm";

export class IdempotencyKeys1795800723178 implements MigrationInterface {
    name = 'IdempotencyKeys1795800723178'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "idempotency_key" ("owner" character varying(64) NOT NULL, "key" character varying(200) NOT NULL, "request_hash" character(64) NOT NULL, "status" integer, "response" jsonb, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_c6ecefc6418fb8eb99049508be4" PRIMARY KEY ("owner", "key"))`);
        await queryRunner.query(`CREATE INDEX "IDX_idempotency_created" ON "idempotency_key"  ("created_at") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."IDX_idempotency_created"`);
        await queryRunner.query(`DROP TABLE "idempotency_key"`);
    }

}
