-- fleetlog PostgreSQL schema, version 5 (issue 17): offsets of Kafka sinks, committed in the same
-- transaction as the rows they produced (SampleStore.applyConsumed; docs/scale-out.md). V4 is left
-- to the drives work.
CREATE TABLE kafka_offsets (
    consumer_group text    NOT NULL,
    topic          text    NOT NULL,
    partition_id   integer NOT NULL,
    next_offset    bigint  NOT NULL,
    PRIMARY KEY (consumer_group, topic, partition_id)
);
