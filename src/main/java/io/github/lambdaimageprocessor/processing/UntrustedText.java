package io.github.lambdaimageprocessor.processing;

import java.util.Locale;

/** How text that comes from uploaders (keys, and reasons quoting them) is shown in logs and notifications. */
public final class UntrustedText {

    private UntrustedText() {
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
