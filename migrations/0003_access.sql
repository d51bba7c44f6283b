-- 0003_access.sql: who may do what. Access tokens (each one a principal: a
-- name, a role, the councils and localities it is scoped to), the
-- append-only audit trail of every call, and csperf_app, the database role
-- csperfd serves as (docs/SECURITY.md). Tokens are stored only as their
-- SHA-256; the token itself is shown once, when it is made.

CREATE TABLE access_token (
    id            bigserial PRIMARY KEY,
    name          text NOT NULL CHECK (name ~ '^[A-Za-z0-9 ._@+-]{1,100}$'),
    role          text NOT NULL
                  CHECK (role IN ('admin', 'loader', 'analyst', 'reader', 'finance', 'scrutiny')),
    -- Empty for admin, who sees every council; at least one for the others.
    councils      text[] NOT NULL DEFAULT '{}'
                  CHECK (array_to_string(councils, ',') ~ '^([A-Za-z0-9]{3,9}(,|$))*$'),
    -- Empty: every locality of its councils.
    localities    text[] NOT NULL DEFAULT '{}',
    token_sha256  text NOT NULL UNIQUE CHECK (token_sha256 ~ '^[0-9a-f]{64}$'),
    created_at    timestamptz NOT NULL DEFAULT now(),
    created_by    text NOT NULL,
    revoked_at    timestamptz,
    CHECK ((role = 'admin') = (cardinality(councils) = 0))
);

COMMENT ON TABLE access_token IS
    'Bearer tokens: one principal each. Only the SHA-256 of a token is kept; rows are revoked, never deleted, so that the audit trail keeps its meaning.';

-- One row per call but health checks: who, what, which council, in brief
-- (never tokens, child identifiers or postcodes), how many rows, and how it
-- ended. Append-only: UPDATE, DELETE and TRUNCATE raise, whoever tries.
CREATE TABLE audit_log (
    id              bigserial PRIMARY KEY,
    at              timestamptz NOT NULL DEFAULT clock_timestamp(),
    principal_id    bigint REFERENCES access_token (id),
    principal_name  text,
    method          text NOT NULL,
    council         text,
    parameters      text NOT NULL DEFAULT '',
    rows_returned   bigint,
    status          text NOT NULL,
    peer            text NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_principal ON audit_log (principal_name, at);
CREATE INDEX audit_log_council ON audit_log (council, at);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_log_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- csperf_app: what csperfd needs to serve, and no more. Migrations run as
-- the owner; csperfd serves as a login that is a member of csperf_app (the
-- embedded PostgreSQL makes one, csperf_server; docs/SECURITY.md shows an
-- external one). Roles belong to the cluster: another database of it may
-- have made csperf_app already, and an owner that may not create roles gets
-- a notice and no role.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'csperf_app') THEN
        BEGIN
            CREATE ROLE csperf_app NOLOGIN;
        EXCEPTION
            WHEN duplicate_object THEN NULL;
            WHEN insufficient_privilege THEN
                RAISE NOTICE 'csperf_app was not created: this role may not create roles (docs/SECURITY.md)';
        END;
    END IF;
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'csperf_app') THEN
        EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO csperf_app', current_database());
        GRANT USAGE ON SCHEMA public TO csperf_app;
        GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO csperf_app;
        GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO csperf_app;
        REVOKE INSERT, UPDATE, DELETE ON schema_migrations FROM csperf_app;
        REVOKE UPDATE, DELETE ON access_token FROM csperf_app;
        GRANT UPDATE (revoked_at) ON access_token TO csperf_app;
        REVOKE UPDATE, DELETE ON audit_log FROM csperf_app;
        -- Tables, views and sequences of later migrations (made by this same
        -- owner) are csperf_app's to use too; an append-only one revokes.
        ALTER DEFAULT PRIVILEGES IN SCHEMA public
            GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO csperf_app;
        ALTER DEFAULT PRIVILEGES IN SCHEMA public
            GRANT USAGE, SELECT ON SEQUENCES TO csperf_app;
    END IF;
END
$$;
