import { MigrationInterface, QueryRunner } from "typeorm";

export class Attachments1795795296785 implements MigrationInterface {
    name = 'Attachments1795795296785'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "attachment" ("id" uuid NOT NULL, "application_id" uuid NOT NULL, "document_code" character varying(64) NOT NULL, "round" integer NOT NULL, "version" integer NOT NULL, "file_name" character varying(255) NOT NULL, "content_type" character varying(100) NOT NULL, "size_bytes" bigint NOT NULL, "sha256" character(64) NOT NULL, "storage_key" character varying(200) NOT NULL, "uploaded_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_d2a80c3a8d467f08a750ac4b420" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_attachment_application_document" ON "attachment"  ("application_id", "document_code") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."IDX_attachment_application_document"`);
        await queryRunner.query(`DROP TABLE "attachment"`);
    }

}
