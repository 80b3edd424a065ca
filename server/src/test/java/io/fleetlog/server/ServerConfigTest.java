package io.fleetlog.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetlog.server.auth.TokenStore;
import org.junit.jupiter.api.Test;

class ServerConfigTest {
    final ServerConfig ok = ServerConfig.defaults(TokenStore.inMemory());

    @Test
    void defaultsAreLoopbackFreePortAndSqliteUnderData() {
        assertThat(ok.bind()).isEqualTo("127.0.0.1");
        assertThat(ok.port()).isZero();
        assertThat(ok.dbUrl()).isEqualTo("jdbc:sqlite:data/fleetlog.db");
        assertThat(ok.limits().liveQueueMessages()).isEqualTo(256);
    }

    @Test
    void invalidValuesAreNamedWithTheirValue() {
        assertThatThrownBy(() -> ok.withPort(70000)).hasMessageContaining("port 70000");
        assertThatThrownBy(() -> ok.withDb("jdbc:mysql://x?password=secret"))
                .hasMessageContaining("dbUrl 'jdbc:mysql://x'")
                .hasMessageNotContaining("secret");
        assertThatThrownBy(() -> new ServerConfig.Limits(10, 1, 1, 1)).hasMessageContaining("maxMessageBytes 10");
        assertThatThrownBy(() -> new ServerConfig.Limits(4096, 0, 1, 1)).hasMessageContaining("maxBatchSamples 0");
        assertThatThrownBy(() -> new ServerConfig.Limits(4096, 1, 0, 1)).hasMessageContaining("badMessageBudget 0");
    }
}
