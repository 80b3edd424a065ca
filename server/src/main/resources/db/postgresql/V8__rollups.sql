-- fleetlog PostgreSQL schema, version 8 (issue 16): rollups of the stored frames at 10 s and 1 min, written
-- in the append transaction from the frames that append stored (io.fleetlog.server.history.RollupTables;
-- docs/server.md, "Rollups"). V7 is the compressed-chunks migration.

-- One row per vehicle, signal and bucket of capture time. Numbers, integers, enum codes and booleans (0/1);
-- strings and locations are not rolled up. mean = sum / samples; last_value is the value of the greatest
-- (capture time, seq) in the bucket, last_ms/last_seq kept so a late frame corrects it. Partitioned by
-- bucket_ms (10 s: a UTC day per partition, 1 min: a UTC month), created on demand by the server, so
-- retention drops partitions instead of deleting rows.
CREATE TABLE rollups_10s (
    vehicle_id integer          NOT NULL,
    signal_id  integer          NOT NULL,   -- catalogue id (signal_names)
    bucket_ms  bigint           NOT NULL,   -- bucket start, Unix epoch ms, a multiple of 10000
    samples    bigint           NOT NULL,
    sum        double precision NOT NULL,
    min_value  double precision NOT NULL,
    max_value  double precision NOT NULL,
    last_ms    bigint           NOT NULL,
    last_seq   bigint           NOT NULL,
    last_value double precision NOT NULL,
    PRIMARY KEY (vehicle_id, signal_id, bucket_ms)
) PARTITION BY RANGE (bucket_ms);

CREATE TABLE rollups_1m (LIKE rollups_10s INCLUDING ALL) PARTITION BY RANGE (bucket_ms);

-- Enum and boolean signals: how many stored frames held each state in the bucket. Time in a state is
-- about samples x the signal's sample period (counts stay exact when frames arrive out of order).
CREATE TABLE rollup_states_10s (
    vehicle_id integer NOT NULL,
    signal_id  integer NOT NULL,
    bucket_ms  bigint  NOT NULL,
    state      bigint  NOT NULL,   -- enum code; 0/1 for a boolean
    samples    bigint  NOT NULL,
    PRIMARY KEY (vehicle_id, signal_id, bucket_ms, state)
) PARTITION BY RANGE (bucket_ms);

CREATE TABLE rollup_states_1m (LIKE rollup_states_10s INCLUDING ALL) PARTITION BY RANGE (bucket_ms);

-- Signal names of each catalogue a vehicle's frames used (the built-in one also under 'builtin', which is
-- what a vehicle with a NULL catalogue_hash uses), written by the server the first time it rolls one up.
CREATE TABLE signal_names (
    catalogue_hash text    NOT NULL,
    signal_id      integer NOT NULL,
    name           text    NOT NULL,
    type           text    NOT NULL,   -- float, integer, enum, boolean, string, location
    unit           text,
    PRIMARY KEY (catalogue_hash, signal_id)
);

-- For Grafana and psql: the buckets with VIN, signal name and timestamptz.
CREATE VIEW grafana_rollups_10s AS
SELECT v.vin, s.name AS signal, s.unit, to_timestamp(r.bucket_ms / 1000.0) AS time, r.samples,
       r.sum / r.samples AS mean, r.min_value AS min, r.max_value AS max, r.last_value AS last,
       to_timestamp(r.last_ms / 1000.0) AS last_time
FROM rollups_10s r
JOIN vehicles v ON v.id = r.vehicle_id
LEFT JOIN signal_names s ON s.catalogue_hash = coalesce(v.catalogue_hash, 'builtin') AND s.signal_id = r.signal_id;

CREATE VIEW grafana_rollups_1m AS
SELECT v.vin, s.name AS signal, s.unit, to_timestamp(r.bucket_ms / 1000.0) AS time, r.samples,
       r.sum / r.samples AS mean, r.min_value AS min, r.max_value AS max, r.last_value AS last,
       to_timestamp(r.last_ms / 1000.0) AS last_time
FROM rollups_1m r
JOIN vehicles v ON v.id = r.vehicle_id
LEFT JOIN signal_names s ON s.catalogue_hash = coalesce(v.catalogue_hash, 'builtin') AND s.signal_id = r.signal_id;

CREATE VIEW grafana_rollup_states_1m AS
SELECT v.vin, s.name AS signal, to_timestamp(r.bucket_ms / 1000.0) AS time, r.state, r.samples
FROM rollup_states_1m r
JOIN vehicles v ON v.id = r.vehicle_id
LEFT JOIN signal_names s ON s.catalogue_hash = coalesce(v.catalogue_hash, 'builtin') AND s.signal_id = r.signal_id;
