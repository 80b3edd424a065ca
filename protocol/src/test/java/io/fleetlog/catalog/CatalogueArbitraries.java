package io.fleetlog.catalog;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Generated catalogues for property tests: every type, random units, resolutions, ranges, bounds, enum
 * sizes and aliases — and {@link #scramble} which writes a catalogue as a messy but equivalent file
 * (shuffled attributes, aliases and enum values, continuation lines, comments, other number spellings).
 * Public so the codec's law tests can run over generated catalogues too.
 */
public final class CatalogueArbitraries {

    private CatalogueArbitraries() {}

    /** Catalogues of 0 to {@code maxSignals} signals of every type. */
    public static Arbitrary<Catalogue> catalogues(int maxSignals) {
        return Arbitraries.integers()
                .between(0, maxSignals)
                .flatMap(n -> signalsFor(n).map(Catalogue::of));
    }

    private static Arbitrary<List<Signal>> signalsFor(int n) {
        if (n == 0) {
            return Arbitraries.just(List.of());
        }
        List<Arbitrary<Signal>> each =
                IntStream.range(0, n).mapToObj(CatalogueArbitraries::signal).toList();
        return Combinators.combine(each).as(list -> list);
    }

    /** A signal named {@code S<i>} (aliases {@code a<i>_<j>}, {@code Vehicle.X<i>.Y<j>}), so names never clash. */
    public static Arbitrary<Signal> signal(int i) {
        Arbitrary<List<String>> aliases = Arbitraries.integers()
                .between(0, 3)
                .map(k -> IntStream.range(0, k)
                        .mapToObj(j -> j % 2 == 0 ? "a" + i + "_" + j : "Vehicle.X" + i + ".Y" + j)
                        .toList());
        return Combinators.combine(aliases, typeAndPolicy())
                .as((as, tp) -> new Signal("S" + i, as, tp.type(), tp.policy()));
    }

    private record TypeAndPolicy(SignalType type, Policy policy) {}

    private static Arbitrary<TypeAndPolicy> typeAndPolicy() {
        Arbitrary<Double> bounds = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(1, Arbitraries.just(0.0)),
                net.jqwik.api.Tuple.of(3, Arbitraries.doubles().between(0, 100).ofScale(3)));
        Arbitrary<TypeAndPolicy> floats = Combinators.combine(
                        Arbitraries.integers().between(-3, 9),
                        Arbitraries.of(1.0, 100.0, 1e4, 1e6),
                        Arbitraries.of(true, false),
                        bounds,
                        Arbitraries.of("mph", "kW", "%", "V", "m/s2", "degC"))
                .as((d, limit, signed, b, unit) ->
                        new TypeAndPolicy(new FloatType(unit, d, signed ? -limit : 0, limit, false), Policy.within(b)));
        Arbitrary<TypeAndPolicy> angles = Combinators.combine(
                        Arbitraries.integers().between(0, 6), bounds)
                .as((d, b) ->
                        new TypeAndPolicy(new FloatType("deg", d, -1e6, 1e6, true), Policy.within(Math.min(b, 179.5))));
        Arbitrary<TypeAndPolicy> integers = Arbitraries.longs()
                .between(-IntegerType.MAX_MAGNITUDE, IntegerType.MAX_MAGNITUDE)
                .list()
                .ofSize(2)
                .map(l -> new TypeAndPolicy(
                        new IntegerType("", Math.min(l.get(0), l.get(1)), Math.max(l.get(0), l.get(1))), Policy.EXACT));
        Arbitrary<TypeAndPolicy> booleans = Arbitraries.just(new TypeAndPolicy(new BooleanType(), Policy.EXACT));
        Arbitrary<TypeAndPolicy> enums = Arbitraries.integers()
                .between(0, 100_000)
                .set()
                .ofMinSize(1)
                .ofMaxSize(40)
                .map(codes -> new TypeAndPolicy(
                        new EnumType(codes.stream()
                                .map(c -> new EnumType.Value("V" + c, c))
                                .toList()),
                        Policy.EXACT));
        Arbitrary<TypeAndPolicy> strings = Arbitraries.integers()
                .between(1, StringType.MAX_BYTES)
                .map(n -> new TypeAndPolicy(new StringType(n), Policy.EXACT));
        Arbitrary<TypeAndPolicy> locations = Combinators.combine(
                        Arbitraries.integers().between(0, LocationType.MAX_DECIMALS), bounds)
                .as((d, b) -> new TypeAndPolicy(new LocationType(d), Policy.within(b)));
        return Arbitraries.oneOf(floats, angles, integers, booleans, enums, strings, locations);
    }

    /**
     * The catalogue as a different but equivalent file: same signals in the same order, everything
     * else (layout, comments, attribute/alias/enum order, number spelling, line endings) varied by
     * {@code seed}.
     */
    public static String scramble(Catalogue c, long seed) {
        Random r = new Random(seed);
        StringBuilder sb = new StringBuilder();
        if (r.nextBoolean()) {
            sb.append("# scrambled with seed ").append(seed).append('\n');
        }
        for (Signal s : c.signals()) {
            List<String> tokens = attributes(s, r);
            Collections.shuffle(tokens, r);
            sb.append(s.name()).append(space(r)).append(s.type().keyword());
            for (String t : tokens) {
                sb.append(r.nextInt(4) == 0 ? eol(r) + "  " + space(r) : space(r))
                        .append(t);
            }
            sb.append(r.nextInt(5) == 0 ? "   # a comment, with = and , in it" : "")
                    .append(eol(r));
            if (r.nextInt(6) == 0) {
                sb.append(eol(r)).append("# between signals").append(eol(r));
            }
        }
        return sb.toString();
    }

    private static List<String> attributes(Signal s, Random r) {
        List<String> t = new ArrayList<>();
        switch (s.type()) {
            case FloatType f -> {
                t.add("unit=" + f.unit());
                t.add("resolution=" + spell(BigDecimal.ONE.scaleByPowerOfTen(-f.decimals()), r));
                t.add("range=" + spell(f.min(), r) + ".." + spell(f.max(), r));
                if (s.bound() != 0 || r.nextBoolean()) {
                    t.add("bound=" + spell(s.bound(), r));
                }
                if (f.circular()) {
                    t.add("circular");
                }
            }
            case IntegerType i -> t.add("range=" + i.min() + ".." + i.max());
            case BooleanType b -> {}
            case EnumType e -> {
                List<String> values = new ArrayList<>(
                        e.values().stream().map(v -> v.name() + ":" + v.code()).toList());
                Collections.shuffle(values, r);
                t.addAll(split("values=", values, r));
            }
            case StringType st -> t.add("maxlength=" + st.maxBytes());
            case LocationType l -> {
                t.add("resolution=" + spell(BigDecimal.ONE.scaleByPowerOfTen(-l.decimals()), r));
                if (s.bound() != 0 || r.nextBoolean()) {
                    t.add("bound=" + spell(s.bound(), r));
                }
            }
        }
        if (!s.aliases().isEmpty()) {
            List<String> aliases = new ArrayList<>(s.aliases());
            Collections.shuffle(aliases, r);
            t.addAll(split("aliases=", aliases, r));
        }
        return t;
    }

    /** The list as one or two {@code key=a,b} tokens. */
    private static List<String> split(String key, List<String> items, Random r) {
        int cut = items.size() > 1 && r.nextBoolean() ? 1 + r.nextInt(items.size() - 1) : items.size();
        List<String> out = new ArrayList<>();
        out.add(key + String.join(",", items.subList(0, cut)));
        if (cut < items.size()) {
            out.add(key + items.subList(cut, items.size()).stream().collect(Collectors.joining(",")));
        }
        return out;
    }

    private static String spell(double v, Random r) {
        return spell(new BigDecimal(Decimal.plain(v)), r);
    }

    private static String spell(BigDecimal v, Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> v.toPlainString();
            case 1 -> v.toString(); // scientific when the exponent is large
            case 2 -> v.setScale(Math.max(v.scale(), 0) + 2).toPlainString(); // trailing zeros
            default -> v.toEngineeringString();
        };
    }

    private static String space(Random r) {
        return r.nextBoolean() ? " " : r.nextBoolean() ? "\t" : "    ";
    }

    private static String eol(Random r) {
        return r.nextInt(3) == 0 ? "\r\n" : "\n";
    }
}
