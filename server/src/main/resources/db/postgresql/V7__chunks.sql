-- fleetlog PostgreSQL schema, version 7 (issue 16): compressed chunks at rest. See docs/server.md.

-- The samples table stays as the tail: appends land there (an ack still means committed, resends are
-- ignored by its key). A background merger moves sealed tail rows into one chunk per vehicle and
-- minute of capture time, in one transaction (insert the chunk, delete the rows). A database of before
-- chunks needs no conversion: its rows are simply tail that the merger compacts over time.
-- Partitioned by capture day like samples (a window never crosses a day), so retention stays a
-- partition drop; partitions are created on demand (sample_chunks_pYYYYMMDD).
CREATE TABLE sample_chunks (
    vehicle_id integer NOT NULL,
    window_ms  bigint  NOT NULL,   -- start of the chunk's one-minute capture-time window, Unix epoch ms
    first_seq  bigint  NOT NULL,   -- lowest seq in the chunk
    last_seq   bigint  NOT NULL,   -- highest seq in the chunk (holes possible: frames < last - first + 1)
    first_ms   bigint  NOT NULL,   -- earliest capture time in the chunk
    last_ms    bigint  NOT NULL,   -- latest capture time in the chunk
    frames     integer NOT NULL,   -- frames in the chunk
    data       bytea   NOT NULL,   -- io.fleetlog.chunk.FrameChunk bytes (docs/chunks.md)
    PRIMARY KEY (vehicle_id, window_ms, first_seq)
) PARTITION BY RANGE (window_ms);

-- The bytes are compressed already: store them out of line without another compression attempt.
ALTER TABLE sample_chunks ALTER COLUMN data SET STORAGE EXTERNAL;

-- grafana_outages (V6) counted the frames of an outage in samples; frames merged into chunks are
-- counted too now: the tail rows captured in the span plus the frames of every chunk lying entirely in
-- it. A chunk that straddles an end of the span (at most one minute of capture time at each end) is
-- not counted, so the figure is exact for spans on whole minutes and a lower bound otherwise.
CREATE OR REPLACE VIEW grafana_outages AS
SELECT s.vin,
       s.start_time,
       s.end_time,
       (coalesce(s.end_ms, (extract(epoch FROM now()) * 1000)::bigint) - s.start_ms) / 1000.0 AS duration_s,
       (SELECT count(*) FROM samples f
        WHERE f.vehicle_id = s.vehicle_id AND f.capture_ms >= s.start_ms
          AND (s.end_ms IS NULL OR f.capture_ms < s.end_ms))
       + (SELECT coalesce(sum(c.frames), 0) FROM sample_chunks c
          WHERE c.vehicle_id = s.vehicle_id AND c.first_ms >= s.start_ms
            AND (s.end_ms IS NULL OR c.last_ms < s.end_ms)) AS backfilled_frames
FROM grafana_link_states s
WHERE NOT s.online;
