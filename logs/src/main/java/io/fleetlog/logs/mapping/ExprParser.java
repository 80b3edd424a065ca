package io.fleetlog.logs.mapping;

/** Recursive-descent parser of mapping expressions; errors are IllegalArgumentExceptions with the column. */
final class ExprParser {
    private final String s;
    private int p;

    ExprParser(String s) {
        this.s = s;
    }

    Expr parse() {
        if (s.isBlank()) {
            throw new IllegalArgumentException("expected a signal or an expression after '='");
        }
        Expr e = sum();
        skip();
        if (p < s.length()) {
            throw error("unexpected '" + s.charAt(p) + "'");
        }
        return e;
    }

    private Expr sum() {
        Expr e = product();
        while (true) {
            skip();
            if (p < s.length() && (s.charAt(p) == '+' || s.charAt(p) == '-')) {
                char op = s.charAt(p++);
                e = new Expr.Bin(op, e, product());
            } else {
                return e;
            }
        }
    }

    private Expr product() {
        Expr e = unary();
        while (true) {
            skip();
            if (p < s.length() && (s.charAt(p) == '*' || s.charAt(p) == '/')) {
                char op = s.charAt(p++);
                e = new Expr.Bin(op, e, unary());
            } else {
                return e;
            }
        }
    }

    private Expr unary() {
        skip();
        if (p < s.length() && s.charAt(p) == '-') {
            p++;
            return new Expr.Neg(unary());
        }
        return atom();
    }

    private Expr atom() {
        skip();
        if (p >= s.length()) {
            throw error("expected a number, signal or '(' but the line ends");
        }
        char c = s.charAt(p);
        if (c == '(') {
            p++;
            Expr e = sum();
            skip();
            if (p >= s.length() || s.charAt(p) != ')') {
                throw error("expected ')'");
            }
            p++;
            return e;
        }
        if (Character.isDigit(c) || c == '.') {
            int start = p;
            while (p < s.length() && (Character.isDigit(s.charAt(p)) || s.charAt(p) == '.')) {
                p++;
            }
            if (p < s.length() && (s.charAt(p) == 'e' || s.charAt(p) == 'E')) {
                p++;
                if (p < s.length() && (s.charAt(p) == '+' || s.charAt(p) == '-')) {
                    p++;
                }
                while (p < s.length() && Character.isDigit(s.charAt(p))) {
                    p++;
                }
            }
            try {
                return new Expr.Num(Double.parseDouble(s.substring(start, p)));
            } catch (NumberFormatException e) {
                p = start;
                throw error("'" + s.substring(start) + "' is not a number");
            }
        }
        if (Character.isLetter(c) || c == '_') {
            String first = identifier();
            if (p < s.length() && s.charAt(p) == '.') {
                p++;
                if (p >= s.length() || !(Character.isLetter(s.charAt(p)) || s.charAt(p) == '_')) {
                    throw error("expected a signal name after '" + first + ".'");
                }
                return new Expr.Ref(first, identifier());
            }
            return new Expr.Ref(null, first);
        }
        throw error("expected a number, signal or '(' but found '" + c + "'");
    }

    private String identifier() {
        int start = p;
        while (p < s.length() && (Character.isLetterOrDigit(s.charAt(p)) || s.charAt(p) == '_')) {
            p++;
        }
        return s.substring(start, p);
    }

    private void skip() {
        while (p < s.length() && Character.isWhitespace(s.charAt(p))) {
            p++;
        }
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException("column " + (p + 1) + " of '" + s + "': " + what);
    }
}
