package io.github.lambdaimageprocessor.processing;

import org.junit.jupiter.api.Test;

import static io.github.lambdaimageprocessor.processing.UntrustedText.excerpt;
import static io.github.lambdaimageprocessor.processing.UntrustedText.printable;
import static org.assertj.core.api.Assertions.assertThat;

class UntrustedTextTest {

    @Test
    void controlCharactersAreShownAsEscapes() {
        assertThat(printable("a\nb\r\tc\u0000\u007F\u0085.jpg")).isEqualTo("a\\u000Ab\\u000D\\u0009c\\u0000\\u007F\\u0085.jpg");
    }

    @Test
    void whatXmlForbidsIsShownAsEscapesToo() {
        assertThat(printable("x\uFFFEy\uFFFF\uD800z")).isEqualTo("x\\uFFFEy\\uFFFF\\uD800z");
    }

    @Test
    void lineSeparatorsAndBidirectionalOverridesAreShownAsEscapes() {
        assertThat(printable("a\u2028b\u2029c\u202Egpj.exe\u2066d\u2069")).isEqualTo(
                "a\\u2028b\\u2029c\\u202Egpj.exe\\u2066d\\u2069");
    }

    @Test
    void printableTextIsKeptAsItIs() {
        assertThat(printable("photos/café € 日本 (1) 😀.jpg")).isEqualTo("photos/café € 日本 (1) 😀.jpg");
        assertThat(printable(null)).isNull();
    }

    @Test
    void anExcerptIsTheTextUpToItsLimitThenAnEllipsisWithItsControlCharactersEscaped() {
        assertThat(excerpt("a\nb\u001B[31m.jpg")).isEqualTo("a\\u000Ab\\u001B[31m.jpg");
        assertThat(excerpt("x".repeat(UntrustedText.EXCERPT_CHARS))).isEqualTo("x".repeat(UntrustedText.EXCERPT_CHARS));
        assertThat(excerpt("\n".repeat(1000))).isEqualTo("\\u000A".repeat(UntrustedText.EXCERPT_CHARS) + "\u2026");
        assertThat(excerpt(null)).isNull();
    }

    @Test
    void anExcerptIsNeverCutInsideACharacter() {
        String text = "x" + "\uD83C\uDF89".repeat(300);

        assertThat(excerpt(text)).isEqualTo("x" + "\uD83C\uDF89".repeat((UntrustedText.EXCERPT_CHARS - 1) / 2) + "\u2026");
    }
}
