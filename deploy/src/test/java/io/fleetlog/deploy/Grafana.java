package io.fleetlog.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Grafana files under {@code deploy/grafana/}: the dashboards as parsed JSON, each panel query, and
 * the substitution of the Grafana macros the dashboards use by the plain SQL Grafana's PostgreSQL data
 * source sends for them (so a test runs the query PostgreSQL would see).
 */
final class Grafana {
    static final String DATASOURCE_UID = "fleetlog-pg";
    static final String DATASOURCE_TYPE = "grafana-postgresql-datasource";

    /** The macros and variables the dashboards may use; anything else starting with $ is an error. */
    static final Pattern MACRO =
            Pattern.compile("\\$__timeFilter\\(([a-z_]+)\\)|\\$__timeFrom\\(\\)|\\$__timeTo\\(\\)|\\$vin\\b");

    private static final ObjectMapper JSON = new ObjectMapper();

    private Grafana() {}

    static Path dir() {
        return Chart.deployDir().resolve("grafana");
    }

    record Dashboard(Path file, JsonNode json) {
        String uid() {
            return json.path("uid").asText();
        }

        List<JsonNode> panels() {
            List<JsonNode> out = new ArrayList<>();
            json.path("panels").forEach(out::add);
            return out;
        }
    }

    /**
     * One SQL query of a dashboard: a panel's target (with the panel's type and the target's format) or
     * the template variable's query (type "variable", format "table").
     */
    record Query(String dashboard, int panelId, String title, String type, String format, String sql) {
        @Override
        public String toString() {
            return dashboard + " panel " + panelId + " '" + title + "'";
        }
    }

    static List<Dashboard> dashboards() {
        try (Stream<Path> files = Files.list(dir().resolve("dashboards"))) {
            List<Dashboard> out = new ArrayList<>();
            for (Path f :
                    files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                out.add(new Dashboard(f, JSON.readTree(f.toFile())));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every panel target's rawSql and every template variable's query, of every dashboard. */
    static List<Query> queries() {
        List<Query> out = new ArrayList<>();
        for (Dashboard d : dashboards()) {
            for (JsonNode p : d.panels()) {
                for (JsonNode t : p.path("targets")) {
                    out.add(new Query(
                            d.uid(),
                            p.path("id").asInt(),
                            p.path("title").asText(),
                            p.path("type").asText(),
                            t.path("format").asText(),
                            t.path("rawSql").asText()));
                }
            }
            for (JsonNode v : d.json().path("templating").path("list")) {
                out.add(new Query(
                        d.uid(),
                        0,
                        "variable $" + v.path("name").asText(),
                        "variable",
                        "table",
                        v.path("query").asText()));
            }
        }
        return out;
    }

    /**
     * The SQL Grafana sends for {@code sql} with the time range {@code from..to} (ISO-8601 instants) and
     * {@code $vin} set to {@code vins} (Grafana quotes each value of a multi-value variable and joins them
     * with commas). Throws when a $ macro or variable is left that this method does not know.
     */
    static String substitute(String sql, String from, String to, List<String> vins) {
        String quotedVins = String.join(
                ",", vins.stream().map(v -> "'" + v.replace("'", "''") + "'").toList());
        Matcher m = MACRO.matcher(sql);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String s = m.group();
            String r;
            if (s.startsWith("$__timeFilter")) {
                r = m.group(1) + " BETWEEN '" + from + "' AND '" + to + "'";
            } else if (s.equals("$__timeFrom()")) {
                r = "'" + from + "'";
            } else if (s.equals("$__timeTo()")) {
                r = "'" + to + "'";
            } else {
                r = quotedVins;
            }
            m.appendReplacement(out, Matcher.quoteReplacement(r));
        }
        m.appendTail(out);
        String plain = out.toString();
        if (plain.contains("$")) {
            throw new IllegalArgumentException("unknown macro or variable left in: " + plain);
        }
        return plain;
    }
}
