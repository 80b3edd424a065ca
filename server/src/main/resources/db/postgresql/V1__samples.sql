-- fleetlog PostgreSQL schema, version 1. See docs/server.md ("PostgreSQL schema") for the reasons.

CREATE TABLE vehicles (
    id              integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    vin             text    NOT NULL UNIQUE,
    model           text,
    name            text,
    last_seq        bigint  NOT NULL DEFAULT -1,   -- highest stored seq, maintained in the sample transaction
    samples         bigint  NOT NULL DEFAULT 0,    -- stored sample count, likewise
    last_capture_ms bigint  NOT NULL DEFAULT -1
);

-- 4.3 M rows per vehicle and day at 50 Hz: one narrow row per sample, a 4-byte vehicle id instead of
-- the 17-character VIN, one index only (the primary key), declarative range partitions by capture
-- day (created on demand by the server), so inserts touch a small, cached index and retention is
-- DROP TABLE of a day instead of a DELETE.
CREATE TABLE samples (
    vehicle_id    integer          NOT NULL,
    seq           bigint           NOT NULL,
    capture_ms    bigint           NOT NULL,   -- capture time, Unix epoch ms
    speed         double precision,            -- NULL = unavailable
    power         double precision,
    soc           double precision,
    heading       double precision,
    odometer      double precision,
    latitude      double precision,
    longitude     double precision,
    elevation     double precision,
    reconstructed smallint         NOT NULL,   -- bit i: field i was reconstructed (omitted on the wire)
    PRIMARY KEY (vehicle_id, capture_ms, seq)
) PARTITION BY RANGE (capture_ms);

CREATE TABLE events (
    id         bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    vehicle_id integer NOT NULL REFERENCES vehicles (id),
    t_ms       bigint  NOT NULL,
    kind       text    NOT NULL,   -- GAP, ONLINE, OFFLINE
    from_seq   bigint  NOT NULL,
    to_seq     bigint  NOT NULL,
    detail     text    NOT NULL
);
CREATE INDEX events_vehicle_time ON events (vehicle_id, t_ms);
