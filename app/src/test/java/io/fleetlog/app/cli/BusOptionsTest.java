package io.fleetlog.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetlog.kafka.BusConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BusOptionsTest {
    static BusConfig parse(String... args) {
        BusOptions o = new BusOptions();
        new CommandLine(o).parseArgs(args);
        return o.toConfig();
    }

    @Test
    void withoutBusTheServerWritesItsStoreDirectly() {
        assertThat(parse()).isNull();
    }

    @Test
    void busFlagsBecomeTheTopicsSettings() {
        BusConfig c = parse(
                "--bus", "kafka",
                "--kafka-bootstrap", "k1:9092,k2:9092",
                "--kafka-topic", "fleet.frames",
                "--kafka-partitions", "24",
                "--kafka-replication", "3");
        assertThat(c.bootstrap()).isEqualTo("k1:9092,k2:9092");
        assertThat(c.topic()).isEqualTo("fleet.frames");
        assertThat(c.partitions()).isEqualTo(24);
        assertThat(c.replication()).isEqualTo((short) 3);
        assertThat(parse("--bus", "kafka", "--kafka-bootstrap", "127.0.0.1:9092")
                        .topic())
                .isEqualTo("fleetlog.frames");
    }

    @Test
    void wrongOrIncompleteBusFlagsAreRefusedNamingTheFlag() {
        assertThatThrownBy(() -> parse("--bus", "kafka")).hasMessageContaining("--kafka-bootstrap");
        assertThatThrownBy(() -> parse("--bus", "rabbit", "--kafka-bootstrap", "h:1"))
                .hasMessageContaining("--bus 'rabbit'");
        assertThatThrownBy(() -> parse("--kafka-bootstrap", "h:1")).hasMessageContaining("need --bus kafka");
        assertThatThrownBy(() -> parse("--bus", "kafka", "--kafka-bootstrap", "h:1", "--kafka-partitions", "0"))
                .hasMessageContaining("partitions 0");
        assertThatThrownBy(() -> parse("--bus", "kafka", "--kafka-bootstrap", "no port"))
                .hasMessageContaining("HOST:PORT");
    }

    @Test
    void aReplicaIdIsCheckedAndDefaultsToHostAndPort() {
        assertThatThrownBy(() -> parse("--replica-id", "r1")).hasMessageContaining("need --bus kafka");
        assertThatThrownBy(() -> parse("--bus", "kafka", "--kafka-bootstrap", "h:1", "--replica-id", "r 1"))
                .hasMessageContaining("replica id 'r 1'");
        assertThat(parse("--bus", "kafka", "--kafka-bootstrap", "h:1", "--replica-id", "ingest-0:8080"))
                .isNotNull();
        assertThat(BusOptions.defaultReplicaId(8080)).matches("[A-Za-z0-9.\\-]{1,80}:8080");
    }
}
