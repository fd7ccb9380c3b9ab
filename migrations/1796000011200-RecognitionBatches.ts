import { MigrationInterface, QueryRunner } from "typeorm";

/** Recognition batches: one document number (发文文号) and date for all the platforms of one document. */
export class RecognitionBatches1796000011200 implements MigrationInterface {
    name = 'RecognitionBatches1796000011200'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "recognition_batch" ("id" uuid NOT NULL, "call_id" uuid NOT NULL, "document_number" character varying(64) NOT NULL, "recognised_on" date NOT NULL, "application_ids" uuid array NOT NULL, "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_recognition_batch" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "UQ_recognition_batch_document_number" ON "recognition_batch" ("document_number") `);
        await queryRunner.query(`ALTER TABLE "recognition_batch" ADD CONSTRAINT "FK_recognition_batch_call" FOREIGN KEY ("call_id") REFERENCES "call"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP TABLE "recognition_batch"`);
    }

}
