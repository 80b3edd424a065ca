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
        java.time.Duration s = java.time.Duration.ofSeconds(1);
        assertThatThrownBy(() -> new ServerConfig.PreAuth(100, s, 1, 1, s, s))
                .hasMessageContaining("preAuth.maxMessageBytes 100");
        assertThatThrownBy(() -> new ServerConfig.PreAuth(4096, java.time.Duration.ZERO, 1, 1, s, s))
                .hasMessageContaining("preAuth.helloDeadline PT0S");
        assertThatThrownBy(() -> new ServerConfig.PreAuth(4096, s, 0, 1, s, s))
                .hasMessageContaining("preAuth.maxPendingPerAddress 0");
        assertThatThrownBy(() -> new ServerConfig.PreAuth(4096, s, 1, 1, s.multipliedBy(2), s))
                .hasMessageContaining("preAuth.backoff PT2S");
        assertThat(ServerConfig.Limits.defaults().preAuth()).isEqualTo(ServerConfig.PreAuth.defaults());
    }
}
