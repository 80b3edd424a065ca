-- The read-only PostgreSQL role Grafana logs in as (docs/grafana.md). Run it with psql as the owner of
-- fleetlog's schema (the user the server connects as), after the server has created the schema:
--
--   psql -v ON_ERROR_STOP=1 -v schema=fleetlog -d fleetlog -f deploy/grafana/readonly-role.sql
--   psql -d fleetlog -c '\password fleetlog_grafana'
--
-- Variables: schema (default public), role (default fleetlog_grafana). The password is never in this file
-- or on a command line: psql's \password asks for it and sends only its SCRAM verifier. Safe to run again
-- (after a server upgrade adds a view to grant).
--
-- The role can read the tables and views the dashboards read and nothing else: not the frames (samples,
-- bytea), not the catalogues, not Flyway's history. It cannot write (no privilege; its sessions also
-- default to read-only transactions), create objects, or hold a query longer than 30 s.
-- There are deliberately no ALTER DEFAULT PRIVILEGES for tables: the server creates a samples partition
-- per capture day, and a default grant would hand every one of them to Grafana.

\if :{?schema}
\else
\set schema public
\endif
\if :{?role}
\else
\set role fleetlog_grafana
\endif

SELECT format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION CONNECTION LIMIT 20', :'role')
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role')
\gexec

ALTER ROLE :"role" SET search_path = :"schema";
ALTER ROLE :"role" SET default_transaction_read_only = on;
ALTER ROLE :"role" SET statement_timeout = '30s';

GRANT CONNECT ON DATABASE :"DBNAME" TO :"role";
GRANT USAGE ON SCHEMA :"schema" TO :"role";
GRANT SELECT ON
    :"schema".vehicles,
    :"schema".events,
    :"schema".drives,
    :"schema".charges,
    :"schema".grafana_events,
    :"schema".grafana_link_states,
    :"schema".grafana_vehicles,
    :"schema".grafana_outages,
    :"schema".grafana_activity,
    :"schema".grafana_rollups_10s,
    :"schema".grafana_rollups_1m,
    :"schema".grafana_rollup_states_1m
TO :"role";
