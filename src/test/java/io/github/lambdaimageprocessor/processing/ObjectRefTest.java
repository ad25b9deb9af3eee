package io.github.lambdaimageprocessor.processing;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ObjectRefTest {

    @Test
    void aLongKeyIsShownCutShortButNeverInsideACharacter() {
        // one ASCII character, then emoji: each a surrogate pair, so the 120th char is the first half of one
        String key = "x" + "\uD83C\uDF89".repeat(300);

        String shown = ObjectRef.shown(key);

        assertThat(shown).startsWith("'x\uD83C\uDF89").endsWith("...' (1201 bytes)");
        String cut = shown.substring(1, shown.indexOf("...'"));
        assertThat(cut.codePoints().noneMatch(codePoint -> Character.isSurrogate((char) codePoint))).isTrue();
        assertThat(cut).isEqualTo("x" + "\uD83C\uDF89".repeat(59));
    }
}
