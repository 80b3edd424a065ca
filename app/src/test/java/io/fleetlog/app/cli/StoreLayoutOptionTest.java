package io.fleetlog.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fleetlog.server.store.StoreLayout;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class StoreLayoutOptionTest {
    private static ServerCommand parse(String... args) {
        ServerCommand cmd = new ServerCommand();
        new CommandLine(cmd).parseArgs(args);
        return cmd;
    }

    @Test
    void theDefaultLayoutIsChunksAndRowsCanBeChosen() {
        assertThat(parse("--tokens", "t").storeLayout).isEqualTo(StoreLayout.CHUNKS);
        assertThat(parse("--tokens", "t", "--store-layout", "rows").storeLayout).isEqualTo(StoreLayout.ROWS);
        assertThat(parse("--tokens", "t", "--store-layout", "CHUNKS").storeLayout)
                .isEqualTo(StoreLayout.CHUNKS);
    }

    @Test
    void anUnknownLayoutIsRefusedNamingTheValue() {
        assertThatThrownBy(() -> parse("--tokens", "t", "--store-layout", "columns"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--store-layout")
                .hasMessageContaining("'columns' is not one of rows, chunks");
    }
}
