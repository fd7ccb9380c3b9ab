import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The application's privileges as a role, `ouflow_app` (NOLOGIN): read and write the business
 * tables, but only read and append the audit tables, so a compromised application cannot rewrite
 * its own audit trail. The operator creates a login role for the API and worker and grants it
 * `ouflow_app` (README, "Database grants"). Tables of later migrations get the same privileges
 * through default privileges. When the migrating user may not create roles and `ouflow_app` does
 * not exist, nothing is granted and a notice says so; running it again after the role exists is
 * harmless, as is running it twice.
 */
const APP_ROLE_GRANTS = `DO $grants$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ouflow_app') THEN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = current_user AND (rolsuper OR rolcreaterole)) THEN
      RAISE NOTICE 'role ouflow_app does not exist and % may not create roles: database grants skipped (see the README, Database grants)', current_user;
      RETURN;
    END IF;
    BEGIN
      CREATE ROLE ouflow_app NOLOGIN;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN
      NULL; -- created meanwhile by a migration of another database on the same server
    END;
  END IF;
  EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO ouflow_app', current_database());
  GRANT USAGE ON SCHEMA public TO ouflow_app;
  GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ouflow_app;
  GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ouflow_app;
  REVOKE UPDATE, DELETE, TRUNCATE ON audit_event, audit_checkpoint FROM ouflow_app;
  REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON schema_migration FROM ouflow_app;
  ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ouflow_app;
  ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO ouflow_app;
END
$grants$`;

export class AppRoleGrants1796000004100 implements MigrationInterface {
    name = 'AppRoleGrants1796000004100'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(APP_ROLE_GRANTS);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        // The role is shared by every database of the server: only this database's grants go.
        await queryRunner.query(`DO $revoke$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ouflow_app') THEN
    ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM ouflow_app;
    ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON SEQUENCES FROM ouflow_app;
    REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ouflow_app;
    REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM ouflow_app;
    REVOKE USAGE ON SCHEMA public FROM ouflow_app;
    EXECUTE format('REVOKE ALL ON DATABASE %I FROM ouflow_app', current_database());
  END IF;
END
$revoke$`);
    }

}
