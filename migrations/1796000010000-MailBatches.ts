import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Mail goes out in batches: the deliveries one transaction queued share a batch, one outbox row and
 * one queue job (id = batch id). A delivery queued before this is a batch of its own (its id).
 */
export class MailBatches1796000010000 implements MigrationInterface {
    name = 'MailBatches1796000010000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "notification_delivery" ADD "batch_id" uuid`);
        await queryRunner.query(`UPDATE "notification_delivery" SET "batch_id" = "id"`);
        await queryRunner.query(`ALTER TABLE "notification_delivery" ALTER COLUMN "batch_id" SET NOT NULL`);
        await queryRunner.query(`CREATE INDEX "IDX_delivery_batch" ON "notification_delivery" ("batch_id") `);
        await queryRunner.query(
            `UPDATE "outbox" SET "payload" = jsonb_build_object('batchId', "payload"->>'deliveryId') WHERE "topic" = 'mail' AND "payload" ? 'deliveryId'`,
        );
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(
            `UPDATE "outbox" o SET "payload" = jsonb_build_object('deliveryId', d."id") FROM "notification_delivery" d
              WHERE o."topic" = 'mail' AND o."payload" ? 'batchId' AND d."batch_id" = (o."payload"->>'batchId')::uuid`,
        );
        await queryRunner.query(`DROP INDEX "public"."IDX_delivery_batch"`);
        await queryRunner.query(`ALTER TABLE "notification_delivery" DROP COLUMN "batch_id"`);
    }

}
