import { MigrationInterface, QueryRunner } from "typeorm";

export class Targets1795795296791 implements MigrationInterface {
    name = 'Targets1795795296791'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "city_indicator" ("code" character varying(48) NOT NULL, "name_zh" character varying(100) NOT NULL, "name_en" character varying(200) NOT NULL, "unit" character varying(16) NOT NULL, "sort_order" integer NOT NULL, CONSTRAINT "PK_5b6814a8b6c989020b2c0b3d55f" PRIMARY KEY ("code"))`);
        await queryRunner.query(`CREATE TABLE "city_indicator_milestone" ("indicator_code" character varying(48) NOT NULL, "year" integer NOT NULL, "value" numeric(16,2) NOT NULL, "source_document_number" character varying(100) NOT NULL, CONSTRAINT "PK_ce0531e00299b02228718e91596" PRIMARY KEY ("indicator_code", "year"))`);
        await queryRunner.query(`CREATE TABLE "city_indicator_value" ("indicator_code" character varying(48) NOT NULL, "year" integer NOT NULL, "value" numeric(16,2) NOT NULL, "entered_by" uuid, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_6135034315285b09d44b1d3d8f9" PRIMARY KEY ("indicator_code", "year"))`);
        await queryRunner.query(`CREATE TABLE "target" ("code" character varying(48) NOT NULL, "name_zh" character varying(100) NOT NULL, "name_en" character varying(200) NOT NULL, "unit_zh" character varying(16) NOT NULL, "definition" jsonb NOT NULL, "sort_order" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_38eb13494df365c43248f10aa17" PRIMARY KEY ("code"))`);
        await queryRunner.query(`CREATE TABLE "target_revision" ("id" uuid NOT NULL, "target_code" character varying(48) NOT NULL, "value" numeric(16,2) NOT NULL, "due_on" date NOT NULL, "source_document_number" character varying(100) NOT NULL, "source_document_date" date NOT NULL, "effective_from" date NOT NULL, "note" text, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_bda40f5328f3b54f40c63b84cc7" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_target_revision_code_effective" ON "target_revision"  ("target_code", "effective_from") `);
        await queryRunner.query(`ALTER TABLE "city_indicator_milestone" ADD CONSTRAINT "FK_44be3629c8a3ea191f5b2bb59f2" FOREIGN KEY ("indicator_code") REFERENCES "city_indicator"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "city_indicator_value" ADD CONSTRAINT "FK_2b7fa6a6f37c61c726e3c145819" FOREIGN KEY ("indicator_code") REFERENCES "city_indicator"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "target_revision" ADD CONSTRAINT "FK_459f97beadebf0a97a44cb19b10" FOREIGN KEY ("target_code") REFERENCES "target"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "target_revision" DROP CONSTRAINT "FK_459f97beadebf0a97a44cb19b10"`);
        await queryRunner.query(`ALTER TABLE "city_indicator_value" DROP CONSTRAINT "FK_2b7fa6a6f37c61c726e3c145819"`);
        await queryRunner.query(`ALTER TABLE "city_indicator_milestone" DROP CONSTRAINT "FK_44be3629c8a3ea191f5b2bb59f2"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_target_revision_code_effective"`);
        await queryRunner.query(`DROP TABLE "target_revision"`);
        await queryRunner.query(`DROP TABLE "target"`);
        await queryRunner.query(`DROP TABLE "city_indicator_value"`);
        await queryRunner.query(`DROP TABLE "city_indicator_milestone"`);
        await queryRunner.query(`DROP TABLE "city_indicator"`);
    }

}
