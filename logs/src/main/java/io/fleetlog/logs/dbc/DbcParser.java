package io.fleetlog.logs.dbc;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Line-oriented DBC parser. Phases: read statements (BO_ opens a message, SG_ lines add signals
 * to it, VAL_/SIG_VALTYPE_ are collected, everything else is skipped up to its ';'), then build the
 * immutable signals and messages, turning every validation failure into file:line errors.
 */
final class DbcParser {
    private static final String NUM = "[-+]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?";
    private static final Pattern BO =
            Pattern.compile("BO_\\s+(\\d{1,10})\\s+(\\w+)\\s*:\\s*(\\d{1,3})(?:\\s+(\\S+))?\\s*");
    private static final Pattern SG = Pattern.compile(
            "SG_\\s+(\\w+)\\s*(M|m\\d{1,9}M?)?\\s*:\\s*(\\d{1,4})\\s*\\|\\s*(\\d{1,3})\\s*@\\s*([01])\\s*([+-])"
                    + "\\s*\\(\\s*(" + NUM + ")\\s*,\\s*(" + NUM + ")\\s*\\)"
                    + "\\s*\\[\\s*(" + NUM + ")\\s*\\|\\s*(" + NUM + ")\\s*\\]"
                    + "\\s*\"([^\"]*)\"\\s*(.*)");
    private static final Pattern SIG_VALTYPE =
            Pattern.compile("SIG_VALTYPE_\\s+(\\d{1,10})\\s+(\\w+)\\s*:?\\s*([0-3])\\s*;\\s*");
    private static final Pattern KEYWORD = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** Statements read over up to their ';' (they may span lines through quoted strings). */
    private static final Set<String> SKIPPED = Set.of(
            "CM_",
            "BA_DEF_",
            "BA_",
            "BA_DEF_DEF_",
            "BA_DEF_REL_",
            "BA_REL_",
            "BA_DEF_DEF_REL_",
            "BA_DEF_SGTYPE_",
            "BA_SGTYPE_",
            "VAL_TABLE_",
            "SIG_GROUP_",
            "SIG_TYPE_REF_",
            "SIGTYPE_VALTYPE_",
            "SGTYPE_",
            "SGTYPE_VAL_",
            "BO_TX_BU_",
            "EV_",
            "ENVVAR_DATA_",
            "SG_MUL_VAL_",
            "CAT_DEF_",
            "CAT_",
            "FILTER",
            "BU_SG_REL_",
            "BU_EV_REL_",
            "BU_BO_REL_",
            "EV_DATA_",
            "NS_DESC_");
    /** One-line statements without a ';'. */
    private static final Set<String> ONE_LINE = Set.of("VERSION", "BS_", "BU_");

    private final String file;
    private int lineNo;
    private final List<MessageSpec> messages = new ArrayList<>();
    private final Map<String, Map<Long, String>> valueTables = new HashMap<>();
    private final Map<String, DbcSignal.ValueType> valueTypes = new HashMap<>();

    private record SignalSpec(int line, Matcher m) {}

    private static final class MessageSpec {
        final int line;
        final long rawId;
        final String name;
        final int dlc;
        final String transmitter;
        final List<SignalSpec> signals = new ArrayList<>();

        MessageSpec(int line, long rawId, String name, int dlc, String transmitter) {
            this.line = line;
            this.rawId = rawId;
            this.name = name;
            this.dlc = dlc;
            this.transmitter = transmitter;
        }
    }

    DbcParser(String file) {
        this.file = file;
    }

    Dbc parse(BufferedReader in) throws IOException {
        boolean namespaceSection = false;
        MessageSpec current = null;
        String line;
        while ((line = in.readLine()) != null) {
            lineNo++;
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("//")) {
                continue;
            }
            boolean indented = Character.isWhitespace(line.charAt(0));
            if (namespaceSection && indented) {
                continue; // NS_ lists keywords, one per indented line
            }
            namespaceSection = false;
            Matcher k = KEYWORD.matcher(t);
            String keyword = k.lookingAt() ? k.group() : "";
            switch (keyword) {
                case "NS_" -> namespaceSection = true;
                case "BO_" -> {
                    current = message(t);
                    messages.add(current);
                }
                case "SG_" -> {
                    if (current == null) {
                        throw error("SG_ before any BO_ message");
                    }
                    current.signals.add(signal(t));
                }
                case "VAL_" -> valueTable(statement(t, in));
                case "SIG_VALTYPE_" -> valueType(statement(t, in));
                default -> {
                    if (ONE_LINE.contains(keyword)) {
                        current = null;
                    } else if (SKIPPED.contains(keyword)) {
                        statement(t, in);
                        current = null;
                    } else {
                        throw error("unknown statement '" + abbreviate(t) + "'");
                    }
                }
            }
        }
        return build();
    }

    private MessageSpec message(String t) throws DbcException {
        Matcher m = BO.matcher(t);
        if (!m.matches()) {
            throw error("malformed BO_ (expected 'BO_ <id> <name>: <dlc> <transmitter>'): " + abbreviate(t));
        }
        long rawId = Long.parseLong(m.group(1));
        if (rawId > 0xFFFF_FFFFL) {
            throw error("message id " + rawId + " does not fit 32 bits");
        }
        return new MessageSpec(
                lineNo,
                rawId,
                m.group(2),
                Integer.parseInt(m.group(3)),
                m.group(4) == null ? "Vector__XXX" : m.group(4));
    }

    private SignalSpec signal(String t) throws DbcException {
        Matcher m = SG.matcher(t);
        if (!m.matches()) {
            throw error("malformed SG_ (expected 'SG_ <name> [M|mN] : <start>|<length>@<0|1><+|-> (<factor>,<offset>)"
                    + " [<min>|<max>] \"<unit>\" <receivers>'): " + abbreviate(t));
        }
        return new SignalSpec(lineNo, m);
    }

    /** Reads a statement up to its terminating ';' outside quotes, continuing on following lines. */
    private String statement(String first, BufferedReader in) throws IOException {
        int startLine = lineNo;
        StringBuilder b = new StringBuilder(first);
        boolean quoted = false;
        int i = 0;
        while (true) {
            for (; i < b.length(); i++) {
                char c = b.charAt(i);
                if (quoted && c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = !quoted;
                } else if (c == ';' && !quoted) {
                    return b.substring(0, i + 1);
                }
            }
            String next = in.readLine();
            if (next == null) {
                throw new DbcException(
                        file,
                        startLine,
                        "statement '" + abbreviate(first)
                                + "' is not terminated by ';' before the end of the file"
                                + (quoted ? " (a quoted string is still open)" : ""));
            }
            lineNo++;
            b.append('\n').append(next);
        }
    }

    private void valueTable(String s) throws DbcException {
        List<String> tokens = tokens(s.substring(4, s.length() - 1));
        if (tokens.isEmpty() || !tokens.get(0).matches("\\d{1,10}")) {
            return; // a VAL_ of an environment variable: nothing to decode
        }
        if (tokens.size() < 2 || tokens.size() % 2 != 0) {
            throw error("malformed VAL_ (expected 'VAL_ <id> <signal> <value> \"<text>\" … ;'): " + abbreviate(s));
        }
        Map<Long, String> table = new LinkedHashMap<>();
        for (int i = 2; i < tokens.size(); i += 2) {
            String v = tokens.get(i);
            String text = tokens.get(i + 1);
            if (!v.matches("-?\\d{1,19}") || !text.startsWith("\"")) {
                throw error("malformed VAL_ entry '" + abbreviate(v) + " " + abbreviate(text) + "'");
            }
            try {
                table.put(Long.parseLong(v), text.substring(1, text.length() - 1));
            } catch (NumberFormatException e) {
                throw error("VAL_ value " + v + " does not fit 64 bits");
            }
        }
        valueTables.put(tokens.get(0) + " " + tokens.get(1), table);
    }

    private void valueType(String s) throws DbcException {
        Matcher m = SIG_VALTYPE.matcher(s.replace('\n', ' '));
        if (!m.matches()) {
            throw error("malformed SIG_VALTYPE_ (expected 'SIG_VALTYPE_ <id> <signal> : <0|1|2> ;'): " + abbreviate(s));
        }
        DbcSignal.ValueType type = switch (m.group(3)) {
            case "1" -> DbcSignal.ValueType.FLOAT32;
            case "2" -> DbcSignal.ValueType.FLOAT64;
            default -> DbcSignal.ValueType.INTEGER;
        };
        valueTypes.put(m.group(1) + " " + m.group(2), type);
    }

    /** Whitespace-separated tokens, quoted strings (with their quotes) kept whole. */
    private List<String> tokens(String s) throws DbcException {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '"') {
                int j = i + 1;
                while (j < s.length() && s.charAt(j) != '"') {
                    j += s.charAt(j) == '\\' ? 2 : 1;
                }
                if (j >= s.length()) {
                    throw error("unterminated string in '" + abbreviate(s) + "'");
                }
                out.add(s.substring(i, j + 1));
                i = j + 1;
            } else {
                int j = i;
                while (j < s.length() && !Character.isWhitespace(s.charAt(j)) && s.charAt(j) != '"') {
                    j++;
                }
                out.add(s.substring(i, j));
                i = j;
            }
        }
        return out;
    }

    private Dbc build() throws DbcException {
        List<DbcMessage> built = new ArrayList<>();
        Map<Long, Integer> seen = new HashMap<>();
        for (MessageSpec spec : messages) {
            Integer first = seen.putIfAbsent(spec.rawId, spec.line);
            if (first != null) {
                throw new DbcException(
                        file,
                        spec.line,
                        "message id " + spec.rawId + " (" + spec.name + ") is already defined at line " + first);
            }
            List<DbcSignal> signals = new ArrayList<>();
            Set<String> names = new HashSet<>();
            for (SignalSpec s : spec.signals) {
                DbcSignal signal = signal(spec, s);
                if (!names.add(signal.name())) {
                    throw new DbcException(
                            file, s.line(), "signal " + signal.name() + " is defined twice in " + spec.name);
                }
                signals.add(signal);
            }
            boolean extended = (spec.rawId & 0x8000_0000L) != 0;
            try {
                built.add(new DbcMessage(
                        spec.rawId & 0x7FFF_FFFFL, extended, spec.name, spec.dlc, spec.transmitter, signals));
            } catch (IllegalArgumentException e) {
                throw new DbcException(file, spec.line, e.getMessage());
            }
        }
        return new Dbc(file, built);
    }

    private DbcSignal signal(MessageSpec msg, SignalSpec spec) throws DbcException {
        Matcher m = spec.m();
        String name = m.group(1);
        String mux = m.group(2);
        Multiplex role = mux == null ? Multiplex.NONE : mux.equals("M") ? Multiplex.MULTIPLEXOR : Multiplex.MULTIPLEXED;
        int muxValue = role == Multiplex.MULTIPLEXED
                ? Integer.parseInt(mux.substring(1).replace("M", ""))
                : -1;
        List<String> receivers = new ArrayList<>();
        for (String r : m.group(12).split("[,\\s]+")) {
            if (!r.isEmpty()) {
                receivers.add(r);
            }
        }
        String key = msg.rawId + " " + name;
        try {
            return new DbcSignal(
                    name,
                    Integer.parseInt(m.group(3)),
                    Integer.parseInt(m.group(4)),
                    m.group(5).equals("1") ? ByteOrder.INTEL : ByteOrder.MOTOROLA,
                    m.group(6).equals("-"),
                    Double.parseDouble(m.group(7)),
                    Double.parseDouble(m.group(8)),
                    Double.parseDouble(m.group(9)),
                    Double.parseDouble(m.group(10)),
                    m.group(11),
                    receivers,
                    role,
                    muxValue,
                    valueTypes.getOrDefault(key, DbcSignal.ValueType.INTEGER),
                    valueTables.getOrDefault(key, Map.of()));
        } catch (IllegalArgumentException e) {
            throw new DbcException(file, spec.line(), e.getMessage());
        }
    }

    private DbcException error(String problem) {
        return new DbcException(file, lineNo, problem);
    }

    private static String abbreviate(String s) {
        String one = s.replace('\n', ' ');
        return one.length() <= 80 ? one : one.substring(0, 77) + "...";
    }
}
