"""The audit log is append-only, enforced by the database; the service runs as ``hanaro_app``.

PostgreSQL:
- role ``hanaro_app`` (LOGIN, no password: set one, or make your login role a member) is created
  if missing. It may read and write the catalog, keys and counters, but on ``audit_log`` only
  SELECT and INSERT. The role who runs migrations owns the tables (the owner/migrator role).
  Roles are cluster-wide and may serve other databases: the downgrade revokes this database's
  grants and leaves the role.
- a trigger rejects UPDATE, DELETE and TRUNCATE on ``audit_log`` for everyone, the owner too,
  except a DELETE of entries older than 2 years (PIPA 접속기록 retention) while
  ``hanaro.audit_purge`` is on for the transaction;
- ``hanaro_purge_audit_log(before)`` (SECURITY DEFINER, executable by ``hanaro_app``) is that
  controlled path: it refuses a cut-off younger than 2 years, sets the flag, deletes, returns the
  count. ``hanaro audit purge`` calls it.

SQLite: triggers reject UPDATE, and DELETE of entries younger than 2 years (``occurred_at`` is
stored as UTC text ``YYYY-MM-DD HH:MM:SS.ffffff``, so text comparison is time order).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 05:10:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# No percent signs and no colon-names in the SQL: it goes through text() and the DB-API.
_PG_ROLE = """
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'hanaro_app') THEN
    BEGIN
      CREATE ROLE hanaro_app LOGIN;
    EXCEPTION
      WHEN duplicate_object OR unique_violation THEN NULL;  -- created concurrently
      WHEN insufficient_privilege THEN
        RAISE EXCEPTION 'role hanaro_app is missing and this role may not create it'
          USING HINT = 'CREATE ROLE hanaro_app LOGIN PASSWORD ...; then migrate again';
    END;
  END IF;
END
$$
"""
_PG_GRANT = """
DO $$
DECLARE
  schema_name text := quote_ident(current_schema());
BEGIN
  EXECUTE 'GRANT USAGE ON SCHEMA ' || schema_name || ' TO hanaro_app';
  EXECUTE 'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA '
    || schema_name || ' TO hanaro_app';
  EXECUTE 'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ' || schema_name || ' TO hanaro_app';
  EXECUTE 'ALTER DEFAULT PRIVILEGES IN SCHEMA ' || schema_name
    || ' GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO hanaro_app';
  EXECUTE 'ALTER DEFAULT PRIVILEGES IN SCHEMA ' || schema_name
    || ' GRANT USAGE, SELECT ON SEQUENCES TO hanaro_app';
END
$$
"""
_PG_REVOKE = """
DO $$
DECLARE
  schema_name text := quote_ident(current_schema());
BEGIN
  EXECUTE 'ALTER DEFAULT PRIVILEGES IN SCHEMA ' || schema_name
    || ' REVOKE ALL ON SEQUENCES FROM hanaro_app';
  EXECUTE 'ALTER DEFAULT PRIVILEGES IN SCHEMA ' || schema_name
    || ' REVOKE ALL ON TABLES FROM hanaro_app';
  EXECUTE 'REVOKE ALL ON ALL SEQUENCES IN SCHEMA ' || schema_name || ' FROM hanaro_app';
  EXECUTE 'REVOKE ALL ON ALL TABLES IN SCHEMA ' || schema_name || ' FROM hanaro_app';
  EXECUTE 'REVOKE USAGE ON SCHEMA ' || schema_name || ' FROM hanaro_app';
END
$$
"""
_PG_TRIGGER_FUNCTIONS = [
    """
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('hanaro.audit_purge', true) = 'on' THEN
    IF OLD.occurred_at < now() - interval '2 years' THEN
      RETURN OLD;
    END IF;
  END IF;
  RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege',
          HINT = 'entries older than 2 years are purged with hanaro audit purge';
END
$$
""",
    """
CREATE FUNCTION audit_log_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: TRUNCATE refused'
    USING ERRCODE = 'insufficient_privilege';
END
$$
""",
    """
CREATE FUNCTION hanaro_purge_audit_log(before timestamptz) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
  purged bigint;
BEGIN
  IF before IS NULL OR before > now() - interval '2 years' THEN
    RAISE EXCEPTION 'audit entries are kept 2 years: cut-off % is too recent', before
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  PERFORM set_config('hanaro.audit_purge', 'on', true);
  DELETE FROM audit_log WHERE occurred_at < before;
  GET DIAGNOSTICS purged = ROW_COUNT;
  PERFORM set_config('hanaro.audit_purge', 'off', true);
  RETURN purged;
END
$$
""",
]


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _upgrade_postgresql()
    else:
        _upgrade_sqlite()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _downgrade_postgresql()
    else:
        op.execute("DROP TRIGGER audit_log_retention_only")
        op.execute("DROP TRIGGER audit_log_no_update")


def _upgrade_postgresql() -> None:
    op.execute(_PG_ROLE)
    op.execute(_PG_GRANT)
    op.execute("REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM hanaro_app")
    op.execute("REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON alembic_version FROM hanaro_app")
    for statement in _PG_TRIGGER_FUNCTIONS:
        op.execute(statement)
    op.execute(
        "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log"
        " FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()"
    )
    op.execute(
        "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log"
        " FOR EACH STATEMENT EXECUTE FUNCTION audit_log_no_truncate()"
    )
    op.execute("REVOKE ALL ON FUNCTION hanaro_purge_audit_log(timestamptz) FROM PUBLIC")
    op.execute("GRANT EXECUTE ON FUNCTION hanaro_purge_audit_log(timestamptz) TO hanaro_app")


def _downgrade_postgresql() -> None:
    op.execute("DROP FUNCTION hanaro_purge_audit_log(timestamptz)")
    op.execute("DROP TRIGGER audit_log_no_truncate ON audit_log")
    op.execute("DROP TRIGGER audit_log_append_only ON audit_log")
    op.execute("DROP FUNCTION audit_log_no_truncate()")
    op.execute("DROP FUNCTION audit_log_append_only()")
    op.execute(_PG_REVOKE)


def _upgrade_sqlite() -> None:
    op.execute(
        "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN"
        " SELECT RAISE(ABORT, 'audit_log is append-only: UPDATE refused'); END"
    )
    op.execute(
        "CREATE TRIGGER audit_log_retention_only BEFORE DELETE ON audit_log"
        " WHEN OLD.occurred_at >= datetime('now', '-2 years') BEGIN"
        " SELECT RAISE(ABORT, 'audit_log is append-only: entries younger than 2 years are kept');"
        " END"
    )
