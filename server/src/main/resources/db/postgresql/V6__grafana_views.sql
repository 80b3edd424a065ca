-- fleetlog PostgreSQL schema, version 6 (issue 19): plain views for Grafana (deploy/grafana/, docs/grafana.md).
-- They hold no data and nothing writes them: each is a query over vehicles, events, drives, charges (and,
-- for one count, samples) that turns epoch milliseconds into timestamptz and joins the vehicle's VIN, so a
-- dashboard panel is a short SELECT. The read-only role (deploy/grafana/readonly-role.sql) reads these and
-- the drives/charges/vehicles tables, never the frames: a view runs with its owner's rights, so
-- grafana_outages counts stored frames without the role being able to SELECT samples itself.

-- Every stored event with its vehicle's VIN and a timestamptz (server time of the event).
-- missing = seqs a GAP covers (0 for the other kinds).
CREATE VIEW grafana_events AS
SELECT e.id,
       v.vin,
       to_timestamp(e.t_ms / 1000.0) AS time,
       e.kind,
       e.from_seq,
       e.to_seq,
       CASE WHEN e.kind = 'GAP' THEN e.to_seq - e.from_seq + 1 ELSE 0 END AS missing,
       e.detail
FROM events e
JOIN vehicles v ON v.id = e.vehicle_id;

-- The ingest link's states: one row per ONLINE/OFFLINE event, lasting until the vehicle's next one
-- (end_time NULL: still in that state).
CREATE VIEW grafana_link_states AS
SELECT v.vin,
       e.vehicle_id,
       e.kind = 'ONLINE' AS online,
       e.t_ms AS start_ms,
       lead(e.t_ms) OVER w AS end_ms,
       to_timestamp(e.t_ms / 1000.0) AS start_time,
       to_timestamp(lead(e.t_ms) OVER w / 1000.0) AS end_time
FROM events e
JOIN vehicles v ON v.id = e.vehicle_id
WHERE e.kind IN ('ONLINE', 'OFFLINE')
WINDOW w AS (PARTITION BY e.vehicle_id ORDER BY e.t_ms, e.id);

-- Each vehicle now: last capture time, frames stored, and its link state (NULL online: no link event yet).
CREATE VIEW grafana_vehicles AS
SELECT v.vin,
       coalesce(v.name, v.vin) AS name,
       v.model,
       v.samples AS frames,
       v.last_seq,
       CASE WHEN v.last_capture_ms >= 0 THEN to_timestamp(v.last_capture_ms / 1000.0) END AS last_seen,
       l.kind = 'ONLINE' AS online,
       to_timestamp(l.t_ms / 1000.0) AS state_since
FROM vehicles v
LEFT JOIN LATERAL (
    SELECT e.kind, e.t_ms FROM events e
    WHERE e.vehicle_id = v.id AND e.kind IN ('ONLINE', 'OFFLINE')
    ORDER BY e.t_ms DESC, e.id DESC
    LIMIT 1
) l ON true;

-- Arrival gaps: each span a vehicle's link was down (OFFLINE until the next ONLINE; end_time NULL: still
-- down) and the frames stored since whose capture time falls in it: frames that could only arrive as
-- backfill (docs/drives.md, "Backfill"; capture time against server time, so edge clock skew shifts it).
CREATE VIEW grafana_outages AS
SELECT s.vin,
       s.start_time,
       s.end_time,
       (coalesce(s.end_ms, (extract(epoch FROM now()) * 1000)::bigint) - s.start_ms) / 1000.0 AS duration_s,
       (SELECT count(*) FROM samples f
        WHERE f.vehicle_id = s.vehicle_id AND f.capture_ms >= s.start_ms
          AND (s.end_ms IS NULL OR f.capture_ms < s.end_ms)) AS backfilled_frames
FROM grafana_link_states s
WHERE NOT s.online;

-- What each vehicle was doing: a row where each drive or charge starts (driving = 2, charging = 1) and
-- where it ends (parked = 0): the steps of a state timeline.
CREATE VIEW grafana_activity AS
SELECT vin, start_time AS time, 2 AS state, 'driving' AS activity FROM drives
UNION ALL
SELECT vin, end_time, 0, 'parked' FROM drives
UNION ALL
SELECT vin, start_time, 1, 'charging' FROM charges
UNION ALL
SELECT vin, end_time, 0, 'parked' FROM charges;
