-- 0001_init.sql: the foundation: the councils csperf serves and the loads
-- that bring their data in. Journey records, indicators and access control
-- come in later migrations.

CREATE TABLE council (
    la_code     text PRIMARY KEY CHECK (la_code ~ '^[A-Za-z0-9]{3,9}$'),
    name        text NOT NULL,
    nation      text NOT NULL CHECK (nation IN ('england', 'wales')),
    created_at  timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE council IS
    'A local authority whose children''s services data csperf holds; la_code is the DfE LA code (e.g. 975), or a Welsh LA''s ONS code.';
