package io.fleetlog.logs;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;

/**
 * The real third-party files of {@code shared/data/real} (system property {@code fleetlog.realData},
 * set by the build to {@code ../shared/data/real} beside the checkout).
 *
 * <p>A test that needs one skips when it is absent, and says so once on standard error with the
 * missing path: JUnit tests through {@link #file}, jqwik properties through {@link Needs} (an
 * assumption inside a property would count as a rejected try and exhaust the property instead).
 */
public final class RealData {
    public static final String MODEL3_DBC = "tesla_model3_Model3CAN.dbc";
    public static final String TESSIE_CSV = "tesla_modely_tessie_2024-03-10_kirkwood_to_jackson.csv";
    public static final String FORD_CANDUMP = "ford_fusion_2017-02-17_acc_30_to_80kmh.candump";

    private static final Set<Path> REPORTED = ConcurrentHashMap.newKeySet();

    private RealData() {}

    /** Where the real file would be. */
    public static Path path(String name) {
        return Path.of(System.getProperty("fleetlog.realData", "../../shared/data/real"), name);
    }

    /** Whether the real file is readable; says once on standard error which file is missing. */
    public static boolean present(String name) {
        Path p = path(name);
        if (Files.isReadable(p)) {
            return true;
        }
        if (REPORTED.add(p.toAbsolutePath().normalize())) {
            System.err.println(
                    "SKIPPED: real data not present: " + p.toAbsolutePath().normalize());
        }
        return false;
    }

    /** The real file, or the test is skipped (JUnit assumption) when it is absent. */
    public static Path file(String name) {
        assumeTrue(present(name), "real data not present: " + path(name));
        return path(name);
    }

    /**
     * On a jqwik property with {@code @AddLifecycleHook(RealData.Skip.class)}: the property is skipped
     * (not exhausted) when the named real file is absent.
     */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    public @interface Needs {
        String value();
    }

    /** The jqwik hook behind {@link Needs}. */
    public static final class Skip implements SkipExecutionHook {
        @Override
        public SkipResult shouldBeSkipped(LifecycleContext context) {
            return context.findAnnotation(Needs.class)
                    .filter(n -> !present(n.value()))
                    .map(n -> SkipResult.skip("real data not present: " + path(n.value())))
                    .orElse(SkipResult.doNotSkip());
        }
    }
}
