package io.keyshift.core.schema;

import io.keyshift.core.KeyShiftException;

/**
 * A strict RFC 8259 syntax check that names the line and column of the first mistake. The BSON
 * library's reader is lenient (it accepts a missing comma, or text after the closing brace) and
 * reports no position, so a file is checked here before it is read as Extended JSON.
 */
final class JsonSyntax {

    private final String text;
    private final String sourceName;
    private int pos;

    private JsonSyntax(String text, String sourceName) {
        this.text = text;
        this.sourceName = sourceName;
    }

    /**
     * Throws a {@link KeyShiftException} naming {@code sourceName}, the line and the column unless
     * {@code text} is one JSON object and nothing else.
     */
    static void requireObject(String text, String sourceName) {
        JsonSyntax syntax = new JsonSyntax(text, sourceName);
        syntax.skipWhitespace();
        if (syntax.peek() != '{') {
            throw syntax.error("expected a JSON object starting with '{'");
        }
        syntax.value();
        syntax.skipWhitespace();
        if (syntax.pos < text.length()) {
            throw syntax.error("unexpected text after the closing '}'");
        }
    }

    private void value() {
        skipWhitespace();
        char c = peek();
        switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> {
                if (c == '-' || isDigit(c)) {
                    number();
                } else {
                    throw error(pos >= text.length() ? "the file ends where a value was expected" : "expected a value");
                }
            }
        }
    }

    private void object() {
        pos++;
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return;
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw error("expected a field name in double quotes");
            }
            string();
            skipWhitespace();
            expect(':');
            value();
            skipWhitespace();
            if (peek() == ',') {
                pos++;
            } else if (peek() == '}') {
                pos++;
                return;
            } else {
                throw error("expected ',' or '}'");
            }
        }
    }

    private void array() {
        pos++;
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return;
        }
        while (true) {
            value();
            skipWhitespace();
            if (peek() == ',') {
                pos++;
            } else if (peek() == ']') {
                pos++;
                return;
            } else {
                throw error("expected ',' or ']'");
            }
        }
    }

    private void string() {
        pos++;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '"') {
                pos++;
                return;
            }
            if (c < 0x20) {
                throw error("control character inside a string (a string must end on the line it starts)");
            }
            if (c == '\\') {
                escape();
            } else {
                pos++;
            }
        }
        throw error("the file ends inside a string");
    }

    private void escape() {
        pos++;
        char c = peek();
        if ("\"\\/bfnrt".indexOf(c) >= 0) {
            pos++;
        } else if (c == 'u') {
            pos++;
            for (int i = 0; i < 4; i++) {
                if (Character.digit(peek(), 16) < 0) {
                    throw error("expected four hexadecimal digits after \\u");
                }
                pos++;
            }
        } else {
            throw error("invalid escape sequence");
        }
    }

    private void number() {
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
        } else {
            digits();
        }
        if (peek() == '.') {
            pos++;
            digits();
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            digits();
        }
    }

    private void digits() {
        if (!isDigit(peek())) {
            throw error("expected a digit");
        }
        while (isDigit(peek())) {
            pos++;
        }
    }

    private void literal(String word) {
        if (!text.startsWith(word, pos)) {
            throw error("expected a value (strings need double quotes; true, false and null are lower case)");
        }
        pos += word.length();
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    private void skipWhitespace() {
        while (pos < text.length() && " \t\r\n".indexOf(text.charAt(pos)) >= 0) {
            pos++;
        }
    }

    /** The character at the current position, or NUL at the end of the text. */
    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private KeyShiftException error(String what) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < Math.min(pos, text.length()); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new KeyShiftException(sourceName + " is not valid JSON: " + what + " at line " + line + ", column "
                + column + ". Fix the file and run the command again.");
    }
}
