import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Keys are now written with their answer in the request's own transaction, and only for signed-in
 * callers on routes without secrets. Drops what the former design left: answers to anonymous
 * requests (sign-in answers held refresh tokens in plain text), 204 answers (the only ones are
 * sign-out and password change, whose request hash covers a password), and keys stuck in progress.
 */
export class IdempotencyKeysCommitted1796000003000 implements MigrationInterface {
    name = 'IdempotencyKeysCommitted1796000003000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DELETE FROM "idempotency_key" WHERE "owner" = 'anonymous' OR "status" IS NULL OR "status" = 204`);
        await queryRunner.query(`ALTER TABLE "idempotency_key" ALTER COLUMN "status" SET NOT NULL`);
        await queryRunner.query(`ALTER TABLE "idempotency_key" ALTER COLUMN "response" SET NOT NULL`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "idempotency_key" ALTER COLUMN "response" DROP NOT NULL`);
        await queryRunner.query(`ALTER TABLE "idempotency_key" ALTER COLUMN "status" DROP NOT NULL`);
    }

}
