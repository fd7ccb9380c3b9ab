import { MigrationInterface, QueryRunner } from "typeorm";

/** Expert panels (libs/reviews): the experts' draw data, each call's rubric, panels, seats and scores. */
export class Reviews1796000008000 implements MigrationInterface {
    name = 'Reviews1796000008000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "review_expert_profile" ("user_id" uuid NOT NULL, "county" character varying(32), "available" boolean NOT NULL DEFAULT true, "yearly_cap" integer NOT NULL DEFAULT 10, "declared_links" jsonb NOT NULL DEFAULT '[]', "updated_by" uuid NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_review_expert_profile" PRIMARY KEY ("user_id"), CONSTRAINT "CHK_review_expert_profile_cap" CHECK ("yearly_cap" >= 0))`);
        await queryRunner.query(`ALTER TABLE "review_expert_profile" ADD CONSTRAINT "FK_review_expert_profile_user" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`CREATE TABLE "review_rubric" ("call_id" uuid NOT NULL, "rubric" jsonb NOT NULL, "updated_by" uuid NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_review_rubric" PRIMARY KEY ("call_id"))`);
        await queryRunner.query(`ALTER TABLE "review_rubric" ADD CONSTRAINT "FK_review_rubric_call" FOREIGN KEY ("call_id") REFERENCES "call"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`CREATE TABLE "review_panel" ("id" uuid NOT NULL, "application_id" uuid NOT NULL, "call_id" uuid NOT NULL, "organisation_id" uuid NOT NULL, "dossier" jsonb NOT NULL, "seed" character varying(128) NOT NULL, "rubric" jsonb NOT NULL, "overrides" jsonb NOT NULL DEFAULT '[]', "status" character varying(16) NOT NULL DEFAULT 'open', "drawn_at" TIMESTAMP WITH TIME ZONE NOT NULL, "drawn_by" uuid NOT NULL, "closed_at" TIMESTAMP WITH TIME ZONE, "closed_by" uuid, CONSTRAINT "PK_review_panel" PRIMARY KEY ("id"), CONSTRAINT "CHK_review_panel_status" CHECK ("status" IN ('open', 'closed')))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "UQ_review_panel_open_application" ON "review_panel" ("application_id") WHERE status = 'open'`);
        await queryRunner.query(`CREATE INDEX "IDX_review_panel_call" ON "review_panel" ("call_id") `);
        await queryRunner.query(`CREATE INDEX "IDX_review_panel_organisation" ON "review_panel" ("organisation_id") `);
        await queryRunner.query(`ALTER TABLE "review_panel" ADD CONSTRAINT "FK_review_panel_application" FOREIGN KEY ("application_id") REFERENCES "application"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`CREATE TABLE "review_assignment" ("id" uuid NOT NULL, "panel_id" uuid NOT NULL, "expert_id" uuid NOT NULL, "draw_position" integer NOT NULL, "reserve_rank" integer, "active" boolean NOT NULL, "declaration" character varying(16) NOT NULL DEFAULT 'none', "declared_at" TIMESTAMP WITH TIME ZONE, "conflict_reason" text, "replaced_by" uuid, "scored_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_review_assignment" PRIMARY KEY ("id"), CONSTRAINT "CHK_review_assignment_declaration" CHECK ("declaration" IN ('none', 'no_conflict', 'conflict')))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "UQ_review_assignment_panel_expert" ON "review_assignment" ("panel_id", "expert_id") `);
        await queryRunner.query(`CREATE INDEX "IDX_review_assignment_expert" ON "review_assignment" ("expert_id") `);
        await queryRunner.query(`ALTER TABLE "review_assignment" ADD CONSTRAINT "FK_review_assignment_panel" FOREIGN KEY ("panel_id") REFERENCES "review_panel"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "review_assignment" ADD CONSTRAINT "FK_review_assignment_expert" FOREIGN KEY ("expert_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "review_assignment" ADD CONSTRAINT "FK_review_assignment_replaced_by" FOREIGN KEY ("replaced_by") REFERENCES "review_assignment"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
        await queryRunner.query(`CREATE TABLE "review_score" ("id" uuid NOT NULL, "assignment_id" uuid NOT NULL, "criterion" character varying(64) NOT NULL, "value" double precision NOT NULL, "comment" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_review_score" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "UQ_review_score_assignment_criterion" ON "review_score" ("assignment_id", "criterion") `);
        await queryRunner.query(`ALTER TABLE "review_score" ADD CONSTRAINT "FK_review_score_assignment" FOREIGN KEY ("assignment_id") REFERENCES "review_assignment"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP TABLE "review_score"`);
        await queryRunner.query(`DROP TABLE "review_assignment"`);
        await queryRunner.query(`DROP TABLE "review_panel"`);
        await queryRunner.query(`DROP TABLE "review_rubric"`);
        await queryRunner.query(`DROP TABLE "review_expert_profile"`);
    }

}
