import { MigrationInterface, QueryRunner } from "typeorm";

export class Identity1795795296770 implements MigrationInterface {
    name = 'Identity1795795296770'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "organisation" ("id" uuid NOT NULL, "credit_code" character varying(18) NOT NULL, "name" character varying(200) NOT NULL, "legal_form" character varying(32) NOT NULL, "region_code" character varying(32) NOT NULL, "industry_codes" text array NOT NULL DEFAULT '{}', "address" character varying(300) NOT NULL, "contact_name" character varying(100) NOT NULL, "contact_phone" character varying(32) NOT NULL, "contact_email" character varying(254), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_c725ae234ef1b74cce43d2d00c1" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_organisation_region" ON "organisation"  ("region_code") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "UQ_organisation_credit_code" ON "organisation"  ("credit_code") `);
        await queryRunner.query(`CREATE TABLE "app_user" ("id" uuid NOT NULL, "email" character varying(254) NOT NULL, "name" character varying(100) NOT NULL, "role" character varying(24) NOT NULL, "organisation_id" uuid, "is_organisation_owner" boolean NOT NULL DEFAULT false, "region_code" character varying(32), "expertise" text array NOT NULL DEFAULT '{}', "employer_name" character varying(200), "employer_credit_code" character varying(18), "locale" character varying(8) NOT NULL DEFAULT 'zh-CN', "password_hash" character varying(255), "email_verified_at" TIMESTAMP WITH TIME ZONE, "disabled" boolean NOT NULL DEFAULT false, "failed_logins" integer NOT NULL DEFAULT '0', "locked_until" TIMESTAMP WITH TIME ZONE, "last_login_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "CHK_app_user_scope" CHECK (("role" <> 'applicant' OR "organisation_id" IS NOT NULL) AND ("role" <> 'county_officer' OR "region_code" IS NOT NULL)), CONSTRAINT "PK_22a5c4a3d9b2fb8e4e73fc4ada1" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_app_user_region" ON "app_user"  ("region_code") `);
        await queryRunner.query(`CREATE INDEX "IDX_app_user_organisation" ON "app_user"  ("organisation_id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "UQ_app_user_email" ON "app_user"  ("email") `);
        await queryRunner.query(`CREATE TABLE "auth_session" ("id" uuid NOT NULL, "user_id" uuid NOT NULL, "ip" character varying(64), "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE, "revoked_reason" character varying(32), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_19354ed146424a728c1112a8cbf" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_auth_session_user" ON "auth_session"  ("user_id") `);
        await queryRunner.query(`CREATE TABLE "refresh_token" ("id" uuid NOT NULL, "session_id" uuid NOT NULL, "token_hash" character varying(64) NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_b575dd3c21fb0831013c909e7fe" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_refresh_token_session" ON "refresh_token"  ("session_id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "UQ_refresh_token_hash" ON "refresh_token"  ("token_hash") `);
        await queryRunner.query(`CREATE TABLE "account_token" ("id" uuid NOT NULL, "user_id" uuid NOT NULL, "purpose" character varying(16) NOT NULL, "token_hash" character varying(64) NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_a55842d3341d42534e39f85e931" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_account_token_user" ON "account_token"  ("user_id", "purpose") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "UQ_account_token_hash" ON "account_token"  ("token_hash") `);
        await queryRunner.query(`ALTER TABLE "app_user" ADD CONSTRAINT "FK_6fa42e978fa7d7adc32736e26fd" FOREIGN KEY ("organisation_id") REFERENCES "organisation"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "auth_session" ADD CONSTRAINT "FK_b8783d517fab10672700a39cb49" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "refresh_token" ADD CONSTRAINT "FK_7643a722ca45fb721be1c63dc0c" FOREIGN KEY ("session_id") REFERENCES "auth_session"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "account_token" ADD CONSTRAINT "FK_ab3c66669facfe429164e60ab82" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "account_token" DROP CONSTRAINT "FK_ab3c66669facfe429164e60ab82"`);
        await queryRunner.query(`ALTER TABLE "refresh_token" DROP CONSTRAINT "FK_7643a722ca45fb721be1c63dc0c"`);
        await queryRunner.query(`ALTER TABLE "auth_session" DROP CONSTRAINT "FK_b8783d517fab10672700a39cb49"`);
        await queryRunner.query(`ALTER TABLE "app_user" DROP CONSTRAINT "FK_6fa42e978fa7d7adc32736e26fd"`);
        await queryRunner.query(`DROP INDEX "public"."UQ_account_token_hash"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_account_token_user"`);
        await queryRunner.query(`DROP TABLE "account_token"`);
        await queryRunner.query(`DROP INDEX "public"."UQ_refresh_token_hash"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_refresh_token_session"`);
        await queryRunner.query(`DROP TABLE "refresh_token"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_auth_session_user"`);
        await queryRunner.query(`DROP TABLE "auth_session"`);
        await queryRunner.query(`DROP INDEX "public"."UQ_app_user_email"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_app_user_organisation"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_app_user_region"`);
        await queryRunner.query(`DROP TABLE "app_user"`);
        await queryRunner.query(`DROP INDEX "public"."UQ_organisation_credit_code"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_organisation_region"`);
        await queryRunner.query(`DROP TABLE "organisation"`);
    }

}
