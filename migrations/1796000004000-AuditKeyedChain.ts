import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The audit chain becomes keyed and anchored: rows record how their `hash` was made (1: sha256, as
 * every row before this migration; 2: HMAC-SHA256 under AUDIT_HMAC_KEY, which the application sets
 * on every row it writes from now on), and signed checkpoints of the streams' heads are kept in their
 * own append-only table. Existing rows are not re-keyed: that would launder any edit made before.
 */
export class AuditKeyedChain1796000004000 implements MigrationInterface {
    name = 'AuditKeyedChain1796000004000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        // A constant default is written to the catalogue, not to each row: the append-only trigger does not fire.
        await queryRunner.query(`ALTER TABLE "audit_event" ADD "chain_version" smallint NOT NULL DEFAULT 1`);
        await queryRunner.query(`ALTER TABLE "audit_event" ADD CONSTRAINT "CHK_audit_event_chain_version" CHECK ("chain_version" IN (1, 2))`);
        await queryRunner.query(`CREATE TABLE "audit_checkpoint" ("seq" integer NOT NULL, "prev_mac" character varying(64), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "heads" jsonb NOT NULL, "mac" character varying(64) NOT NULL, CONSTRAINT "PK_audit_checkpoint" PRIMARY KEY ("seq"))`);
        await queryRunner.query(`CREATE FUNCTION "audit_checkpoint_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit_checkpoint is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege'; END $$`);
        await queryRunner.query(`CREATE TRIGGER "audit_checkpoint_no_update_delete" BEFORE UPDATE OR DELETE ON "audit_checkpoint" FOR EACH ROW EXECUTE FUNCTION "audit_checkpoint_append_only"()`);
        await queryRunner.query(`CREATE TRIGGER "audit_checkpoint_no_truncate" BEFORE TRUNCATE ON "audit_checkpoint" FOR EACH STATEMENT EXECUTE FUNCTION "audit_checkpoint_append_only"()`);
        await queryRunner.query(`REVOKE UPDATE, DELETE, TRUNCATE ON "audit_checkpoint" FROM PUBLIC`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP TRIGGER "audit_checkpoint_no_truncate" ON "audit_checkpoint"`);
        await queryRunner.query(`DROP TRIGGER "audit_checkpoint_no_update_delete" ON "audit_checkpoint"`);
        await queryRunner.query(`DROP FUNCTION "audit_checkpoint_append_only"()`);
        await queryRunner.query(`DROP TABLE "audit_checkpoint"`);
        await queryRunner.query(`ALTER TABLE "audit_event" DROP CONSTRAINT "CHK_audit_event_chain_version"`);
        await queryRunner.query(`ALTER TABLE "audit_event" DROP COLUMN "chain_version"`);
    }

}
