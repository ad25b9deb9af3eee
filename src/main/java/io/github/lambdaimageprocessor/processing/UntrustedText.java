package io.github.lambdaimageprocessor.processing;

import java.util.Locale;

/** How text that comes from uploaders (keys, and reasons quoting them) is shown in logs and notifications. */
public final class UntrustedText {

    /** How much of a text an {@link #excerpt} shows, in chars: enough to recognise a key, a value, a path. */
    public static final int EXCERPT_CHARS = 100;

    private UntrustedText() {
    }

    /**
     * The text's first {@link #EXCERPT_CHARS} chars (never half a surrogate pair), then an ellipsis when there was
     * more, {@link #printable}: for quoting what a client sent (a key of up to 1,024 bytes, a query parameter of
     * kilobytes) in an answer or a log line, which it must neither flood nor forge.
     */
    public static String excerpt(String text) {
        if (text == null || text.length() <= EXCERPT_CHARS) {
            return printable(text);
        }
        int end = Character.isHighSurrogate(text.charAt(EXCERPT_CHARS - 1)) ? EXCERPT_CHARS - 1 : EXCERPT_CHARS;
        return printable(text.substring(0, end)) + "\u2026";
    }

    /**
     * The text with every control character (line breaks included), the Unicode line and paragraph separators, the
     * bidirectional overrides and isolates, and each code point XML 1.0 forbids, shown as {@code \\uXXXX}: a key must
     * neither garble an email nor forge or disguise a line of a text log, while the reader still sees what it holds.
     */
    public static String printable(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if (Character.isISOControl(c) || c == 0xFFFE || c == 0xFFFF || Character.getType(c) == Character.SURROGATE
                    || c == 0x2028 || c == 0x2029 || c >= 0x202A && c <= 0x202E || c >= 0x2066 && c <= 0x2069) {
                out.append(String.format(Locale.ROOT, "\\u%04X", c));
            }
            else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }
}
