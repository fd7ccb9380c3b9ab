import { MigrationInterface, QueryRunner } from "typeorm";

export class InitialDictionaries1795795296748 implements MigrationInterface {
    name = 'InitialDictionaries1795795296748'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "industry" ("code" character varying(64) NOT NULL, "name_zh" character varying(64) NOT NULL, "name_en" character varying(128) NOT NULL, "industry_group" character varying(16) NOT NULL, "in_five_plus_five" boolean NOT NULL DEFAULT false, "valid_from" date NOT NULL, "valid_to" date, "sort_order" integer NOT NULL, CONSTRAINT "PK_d76e293720ae8ab8fe7afffdc98" PRIMARY KEY ("code"))`);
        await queryRunner.query(`CREATE TABLE "region" ("code" character varying(32) NOT NULL, "name_zh" character varying(64) NOT NULL, "name_en" character varying(128) NOT NULL, "kind" character varying(16) NOT NULL, "parent_county_code" character varying(32), "parent_provisional" boolean NOT NULL DEFAULT false, "mountain" boolean NOT NULL DEFAULT false, "valid_from" date NOT NULL, "valid_to" date, "sort_order" integer NOT NULL, CONSTRAINT "PK_74f7723fdff738f92929c0056cb" PRIMARY KEY ("code"))`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP TABLE "region"`);
        await queryRunner.query(`DROP TABLE "industry"`);
    }

}
