-- fleetlog PostgreSQL schema, version 3 (issue 13): one row per frame of any signals. See docs/server.md.

-- The eight-column rows of version 1 are kept, not converted (no deployed data existed when frames came):
-- the table becomes samples_v1 and its daily partitions samples_v1_pYYYYMMDD, which nothing reads or
-- purges; drop them when they are not wanted. The vehicles' sample counts restart at 0 (count = what a
-- scan finds); last_seq stays, so no edge is asked to resend what the old table holds.
ALTER TABLE samples RENAME TO samples_v1;
DO $$
DECLARE
    r record;
BEGIN
    FOR r IN
        SELECT c.relname FROM pg_inherits i
        JOIN pg_class c ON c.oid = i.inhrelid
        JOIN pg_class p ON p.oid = i.inhparent
        WHERE p.relname = 'samples_v1' AND p.relnamespace = current_schema()::regnamespace
    LOOP
        EXECUTE format('ALTER TABLE %I RENAME TO %I', r.relname, replace(r.relname, 'samples_p', 'samples_v1_p'));
    END LOOP;
END
$$;
UPDATE vehicles SET samples = 0;

-- One narrow row per frame: a 4-byte vehicle id, the seq, the capture time (the partition and index
-- key) and the frame itself as io.fleetlog.frame.FrameRecords bytes (any signals of the vehicle's
-- catalogue, exactly as stored, omitted marks kept), so adding a signal needs no migration. Declarative
-- range partitions by capture day, created on demand; retention drops whole days.
CREATE TABLE samples (
    vehicle_id integer NOT NULL,
    seq        bigint  NOT NULL,
    capture_ms bigint  NOT NULL,   -- capture time, Unix epoch ms (= the frame's)
    data       bytea   NOT NULL,   -- FrameRecords.encode(frame)
    PRIMARY KEY (vehicle_id, capture_ms, seq)
) PARTITION BY RANGE (capture_ms);
