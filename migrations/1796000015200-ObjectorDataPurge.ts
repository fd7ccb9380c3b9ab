import type { MigrationInterface, QueryRunner } from 'typeorm';

/** An objector's name, contact and letter are erased after the retention period; the objection keeps its receipt and outcome. */
export class ObjectorDataPurge1796000015200 implements MigrationInterface {
  name = 'ObjectorDataPurge1796000015200';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "notice_objection" ALTER COLUMN "objector_name" DROP NOT NULL`);
    await queryRunner.query(`ALTER TABLE "notice_objection" ALTER COLUMN "contact" DROP NOT NULL`);
    await queryRunner.query(`ALTER TABLE "notice_objection" ADD "personal_data_purged_at" TIMESTAMP WITH TIME ZONE`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "notice_objection" DROP COLUMN "personal_data_purged_at"`);
    await queryRunner.query(`UPDATE "notice_objection" SET "contact" = '' WHERE "contact" IS NULL`);
    await queryRunner.query(`UPDATE "notice_objection" SET "objector_name" = '' WHERE "objector_name" IS NULL`);
    await queryRunner.query(`ALTER TABLE "notice_objection" ALTER COLUMN "contact" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "notice_objection" ALTER COLUMN "objector_name" SET NOT NULL`);
  }
}
