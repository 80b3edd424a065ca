package io.fleetlog.catalog;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A catalogue file with mistakes: every problem found (up to {@value CatalogueFormat#MAX_PROBLEMS}),
 * each as {@code file:line: message}, one per line of {@link #getMessage()}. Nothing is loaded.
 */
public final class CatalogueFormatException extends Exception {

    private static final long serialVersionUID = 1L;

    /** One mistake: where and what. {@link #toString()} is {@code file:line: message}. */
    public record Problem(String file, int line, String message) {
        @Override
        public String toString() {
            return file + ":" + line + ": " + message;
        }
    }

    private final transient List<Problem> problems;

    CatalogueFormatException(List<Problem> problems) {
        super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    /** The problems in file order. */
    public List<Problem> problems() {
        return problems;
    }
}
