import { MigrationInterface, QueryRunner } from "typeorm";

export class Audit1795795296771 implements MigrationInterface {
    name = 'Audit1795795296771'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "audit_event" ("id" BIGSERIAL NOT NULL, "stream" character varying(100) NOT NULL, "stream_seq" integer NOT NULL, "prev_hash" character varying(64), "hash" character varying(64) NOT NULL, "actor_user_id" uuid, "actor_role" character varying(24), "action" character varying(64) NOT NULL, "object_type" character varying(32) NOT NULL, "object_id" character varying(64), "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "ip" character varying(64), "summary" jsonb NOT NULL DEFAULT '{}', CONSTRAINT "PK_481efbe8b0a403efe3f47a6528f" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_audit_event_action" ON "audit_event"  ("action", "occurred_at") `);
        await queryRunner.query(`CREATE INDEX "IDX_audit_event_actor" ON "audit_event"  ("actor_user_id", "occurred_at") `);
        await queryRunner.query(`CREATE INDEX "IDX_audit_event_object" ON "audit_event"  ("object_type", "object_id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "UQ_audit_event_stream_seq" ON "audit_event"  ("stream", "stream_seq") `);
        // Append-only, even for the table owner (the app usually connects as owner): a trigger refuses
        // UPDATE, DELETE and TRUNCATE. Only a superuser can get past it (session_replication_role).
        await queryRunner.query(`CREATE FUNCTION "audit_event_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit_event is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege'; END $$`);
        await queryRunner.query(`CREATE TRIGGER "audit_event_no_update_delete" BEFORE UPDATE OR DELETE ON "audit_event" FOR EACH ROW EXECUTE FUNCTION "audit_event_append_only"()`);
        await queryRunner.query(`CREATE TRIGGER "audit_event_no_truncate" BEFORE TRUNCATE ON "audit_event" FOR EACH STATEMENT EXECUTE FUNCTION "audit_event_append_only"()`);
        await queryRunner.query(`REVOKE UPDATE, DELETE, TRUNCATE ON "audit_event" FROM PUBLIC`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP TRIGGER "audit_event_no_truncate" ON "audit_event"`);
        await queryRunner.query(`DROP TRIGGER "audit_event_no_update_delete" ON "audit_event"`);
        await queryRunner.query(`DROP FUNCTION "audit_event_append_only"()`);
        await queryRunner.query(`DROP INDEX "public"."UQ_audit_event_stream_seq"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_audit_event_object"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_audit_event_actor"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_audit_event_action"`);
        await queryRunner.query(`DROP TABLE "audit_event"`);
    }

}
