-- 0016_least_privilege.sql: what the serving role may write to the two
-- tables that say who may call and who did (docs/SECURITY.md).
--
-- csperf_app may update only access_token.revoked_at (0003's column
-- privilege); these triggers narrow that to revoking: a token is revoked
-- once, at the database's clock, and never un-revoked or re-dated. And an
-- audit line's time is the database's clock when it is appended, whatever
-- the INSERT says. The triggers bind every role, the owner's included.

CREATE FUNCTION access_token_revoke_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (to_jsonb(NEW) - 'revoked_at') IS DISTINCT FROM (to_jsonb(OLD) - 'revoked_at') THEN
        RAISE EXCEPTION 'access_token: only revoked_at may change'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF OLD.revoked_at IS NOT NULL THEN
        IF NEW.revoked_at IS DISTINCT FROM OLD.revoked_at THEN
            RAISE EXCEPTION 'access_token: a revoked token stays revoked'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
    ELSIF NEW.revoked_at IS NOT NULL THEN
        NEW.revoked_at := now();
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER access_token_revoke_only BEFORE UPDATE ON access_token
    FOR EACH ROW EXECUTE FUNCTION access_token_revoke_only();

CREATE FUNCTION audit_log_server_clock() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.at := clock_timestamp();
    RETURN NEW;
END
$$;
CREATE TRIGGER audit_log_server_clock BEFORE INSERT ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_server_clock();
