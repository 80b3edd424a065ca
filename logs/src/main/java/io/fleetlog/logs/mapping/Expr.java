package io.fleetlog.logs.mapping;

import java.util.List;
import java.util.function.Function;

/**
 * An arithmetic expression over signal values: numbers, signal references, {@code + - * /},
 * unary minus and parentheses. Parsed expressions hold {@link Ref}s; binding to a DBC replaces
 * them by {@link Slot}s (indexes into the latest signal values). A NaN operand gives NaN.
 */
sealed interface Expr {
    double eval(double[] slots);

    /** This expression with every reference replaced. */
    Expr bind(Function<Ref, Expr> binder);

    /** Adds the references of this expression to {@code out}. */
    default void refs(List<Ref> out) {}

    record Num(double value) implements Expr {
        @Override
        public double eval(double[] slots) {
            return value;
        }

        @Override
        public Expr bind(Function<Ref, Expr> binder) {
            return this;
        }
    }

    /** {@code message.signal}, or a bare {@code signal} ({@code message} null). */
    record Ref(String message, String signal) implements Expr {
        @Override
        public double eval(double[] slots) {
            throw new IllegalStateException("unbound reference " + text());
        }

        @Override
        public Expr bind(Function<Ref, Expr> binder) {
            return binder.apply(this);
        }

        @Override
        public void refs(List<Ref> out) {
            out.add(this);
        }

        String text() {
            return message == null ? signal : message + "." + signal;
        }
    }

    record Slot(int index) implements Expr {
        @Override
        public double eval(double[] slots) {
            return slots[index];
        }

        @Override
        public Expr bind(Function<Ref, Expr> binder) {
            return this;
        }
    }

    record Neg(Expr e) implements Expr {
        @Override
        public double eval(double[] slots) {
            return -e.eval(slots);
        }

        @Override
        public Expr bind(Function<Ref, Expr> binder) {
            return new Neg(e.bind(binder));
        }

        @Override
        public void refs(List<Ref> out) {
            e.refs(out);
        }
    }

    record Bin(char op, Expr l, Expr r) implements Expr {
        @Override
        public double eval(double[] slots) {
            double a = l.eval(slots);
            double b = r.eval(slots);
            return switch (op) {
                case '+' -> a + b;
                case '-' -> a - b;
                case '*' -> a * b;
                default -> a / b;
            };
        }

        @Override
        public Expr bind(Function<Ref, Expr> binder) {
            return new Bin(op, l.bind(binder), r.bind(binder));
        }

        @Override
        public void refs(List<Ref> out) {
            l.refs(out);
            r.refs(out);
        }
    }
}
