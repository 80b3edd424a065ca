package io.fleetlog.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The Grafana files as files (no database; GrafanaSqlTest runs their SQL): the dashboards are valid
 * Grafana dashboard models on the provisioned data source, the provisioning files keep the password out
 * of the file, and the read-only role is granted every view the migration creates.
 */
class GrafanaDashboardsTest {
    static final Set<String> PANEL_TYPES =
            Set.of("table", "timeseries", "stat", "barchart", "state-timeline", "geomap");

    @Test
    void theSixDashboardsAreThereWithUniqueUids() {
        List<Grafana.Dashboard> ds = Grafana.dashboards();
        assertThat(ds.stream().map(Grafana.Dashboard::uid))
                .containsExactlyInAnyOrder(
                        "fleetlog-overview",
                        "fleetlog-drives",
                        "fleetlog-charges",
                        "fleetlog-efficiency",
                        "fleetlog-states",
                        "fleetlog-continuity")
                .doesNotHaveDuplicates();
        Set<String> types = new HashSet<>();
        ds.forEach(d -> d.panels().forEach(p -> types.add(p.path("type").asText())));
        assertThat(types).as("panel types used").isEqualTo(PANEL_TYPES);
    }

    @Test
    void everyPanelHasTheDatasourceUniqueIdsAndRawSqlTargets() {
        for (Grafana.Dashboard d : Grafana.dashboards()) {
            JsonNode j = d.json();
            String name = d.file().getFileName().toString();
            assertThat(j.path("schemaVersion").asInt())
                    .as(name + " schemaVersion")
                    .isGreaterThanOrEqualTo(39);
            assertThat(j.path("title").asText()).as(name + " title").startsWith("fleetlog: ");
            assertThat(j.path("tags").toString()).as(name + " tags").contains("\"fleetlog\"");
            assertThat(j.has("id"))
                    .as(name + ": a provisioned dashboard has no database id")
                    .isFalse();
            Set<Integer> ids = new HashSet<>();
            for (JsonNode p : d.panels()) {
                String where =
                        name + " panel " + p.path("id") + " '" + p.path("title").asText() + "'";
                assertThat(ids.add(p.path("id").asInt()))
                        .as(where + ": id unique")
                        .isTrue();
                assertThat(p.path("id").asInt()).as(where + " id").isPositive();
                assertThat(PANEL_TYPES)
                        .as(where + " type")
                        .contains(p.path("type").asText());
                assertThat(p.path("title").asText()).as(where + " title").isNotBlank();
                assertThat(p.path("description").asText())
                        .as(where + " description")
                        .isNotBlank();
                assertDatasource(p.path("datasource"), where);
                JsonNode g = p.path("gridPos");
                assertThat(g.path("w").asInt() + g.path("x").asInt())
                        .as(where + " gridPos fits 24 columns")
                        .isBetween(1, 24);
                assertThat(g.path("h").asInt()).as(where + " height").isPositive();
                assertThat(p.path("targets").size()).as(where + " targets").isPositive();
                if (p.path("type").asText().equals("geomap")) {
                    // the columns GrafanaSqlTest checks are numeric
                    for (JsonNode layer : p.path("options").path("layers")) {
                        assertThat(layer.path("location").path("latitude").asText())
                                .as(where)
                                .isEqualTo("lat");
                        assertThat(layer.path("location").path("longitude").asText())
                                .as(where)
                                .isEqualTo("lon");
                    }
                    assertThat(p.path("options").path("layers").size())
                            .as(where + " layers")
                            .isPositive();
                }
                Set<String> refIds = new HashSet<>();
                for (JsonNode t : p.path("targets")) {
                    assertThat(refIds.add(t.path("refId").asText()))
                            .as(where + " refId unique")
                            .isTrue();
                    assertDatasource(t.path("datasource"), where + " target");
                    assertThat(t.path("rawQuery").asBoolean())
                            .as(where + " rawQuery")
                            .isTrue();
                    assertThat(t.path("format").asText()).as(where + " format").isIn("table", "time_series");
                    String sql = t.path("rawSql").asText();
                    assertThat(sql).as(where + " rawSql").isNotBlank().doesNotContain(";");
                    // only the macros the SQL test knows how to expand (it fails on any other $)
                    Grafana.substitute(sql, "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z", List.of("V"));
                    if (t.path("format").asText().equals("time_series")) {
                        assertThat(sql.toLowerCase(Locale.ROOT))
                                .as(where + " time_series selects a time")
                                .containsPattern("as time\\b|^select time\\b");
                    }
                }
            }
            JsonNode vars = j.path("templating").path("list");
            assertThat(vars.size()).as(name + " variables").isEqualTo(1);
            JsonNode vin = vars.get(0);
            assertThat(vin.path("name").asText()).isEqualTo("vin");
            assertThat(vin.path("multi").asBoolean() && vin.path("includeAll").asBoolean())
                    .as(name + " $vin multi with All")
                    .isTrue();
            assertDatasource(vin.path("datasource"), name + " $vin");
            assertThat(vin.path("query").asText()).as(name + " $vin query").contains("FROM vehicles");
        }
    }

    @Test
    void theDatasourceTakesItsPasswordFromTheEnvironment() throws IOException {
        String text = Files.readString(Grafana.dir().resolve("provisioning/datasources/fleetlog.yaml"));
        Map<String, Object> yaml = new Yaml().load(text);
        assertThat(yaml.get("apiVersion")).isEqualTo(1);
        List<?> sources = (List<?>) yaml.get("datasources");
        assertThat(sources).hasSize(1);
        Map<?, ?> ds = (Map<?, ?>) sources.get(0);
        assertThat(ds.get("uid")).isEqualTo(Grafana.DATASOURCE_UID);
        assertThat(ds.get("type")).isEqualTo(Grafana.DATASOURCE_TYPE);
        assertThat(ds.get("password")).as("no plain-text password field").isNull();
        assertThat(((Map<?, ?>) ds.get("jsonData")).containsKey("password")).isFalse();
        Map<?, ?> secure = (Map<?, ?>) ds.get("secureJsonData");
        assertThat(secure.get("password")).isEqualTo("${FLEETLOG_GRAFANA_PASSWORD}");
        assertThat(ds.get("user")).isEqualTo("${FLEETLOG_GRAFANA_USER}");
        assertThat(ds.get("editable")).isEqualTo(false);

        Map<String, Object> provider =
                new Yaml().load(Files.readString(Grafana.dir().resolve("provisioning/dashboards/fleetlog.yaml")));
        List<?> providers = (List<?>) provider.get("providers");
        assertThat(providers).hasSize(1);
        Map<?, ?> p = (Map<?, ?>) providers.get(0);
        assertThat(p.get("type")).isEqualTo("file");
        assertThat(p.get("allowUiUpdates")).isEqualTo(false);
        assertThat((String) ((Map<?, ?>) p.get("options")).get("path")).startsWith("/");
    }

    @Test
    void theReadOnlyRoleIsGrantedEveryGrafanaViewAndNoPassword() throws IOException {
        String role = Files.readString(Grafana.dir().resolve("readonly-role.sql"));
        String migration;
        try (InputStream in = getClass().getResourceAsStream("/db/postgresql/V6__grafana_views.sql")) {
            assertThat(in).as("V6__grafana_views.sql on the server's classpath").isNotNull();
            migration = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Set<String> views = new LinkedHashSet<>();
        Matcher m = Pattern.compile("CREATE VIEW (\\w+)").matcher(migration);
        while (m.find()) {
            views.add(m.group(1));
        }
        assertThat(views).hasSize(5);
        List<String> missing = new ArrayList<>();
        for (String v : views) {
            if (!role.contains(":\"schema\"." + v + ",") && !role.contains(":\"schema\"." + v + "\n")) {
                missing.add(v);
            }
        }
        assertThat(missing).as("views not granted in readonly-role.sql").isEmpty();
        assertThat(role.toUpperCase(Locale.ROOT))
                .doesNotContain("PASSWORD '")
                .doesNotContain(" SUPERUSER")
                .doesNotContain(".SAMPLES");
    }

    private static void assertDatasource(JsonNode ds, String where) {
        assertThat(ds.path("uid").asText()).as(where + " datasource uid").isEqualTo(Grafana.DATASOURCE_UID);
        assertThat(ds.path("type").asText()).as(where + " datasource type").isEqualTo(Grafana.DATASOURCE_TYPE);
    }
}
