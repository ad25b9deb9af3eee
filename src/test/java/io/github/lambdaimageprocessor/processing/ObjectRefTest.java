package io.github.lambdaimageprocessor.processing;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ObjectRefTest {

    @Test
    void aLongKeyIsShownCutShortButNeverInsideACharacter() {
        // one ASCII character, then emoji: each a surrogate pair, so the 100th char is the first half of one
        String key = "x" + "\uD83C\uDF89".repeat(300);

        String shown = ObjectRef.shown(key);

        assertThat(shown).startsWith("'x\uD83C\uDF89").endsWith("\u2026' (1201 bytes)");
        String cut = shown.substring(1, shown.indexOf("\u2026'"));
        assertThat(cut.codePoints().noneMatch(codePoint -> Character.isSurrogate((char) codePoint))).isTrue();
        assertThat(cut).isEqualTo("x" + "\uD83C\uDF89".repeat(49));
    }

    /** A key is any text: quoted in a problem detail or a log line, it must neither break nor forge one. */
    @Test
    void aKeysControlCharactersAreShownAsEscapes() {
        ObjectRef ref = new ObjectRef("uploads", "a\nb\u001B[31m\u202Egpj.jpg");

        assertThat(ObjectRef.shown(ref.key())).isEqualTo("'a\\u000Ab\\u001B[31m\\u202Egpj.jpg'");
        assertThat(ref.shown()).isEqualTo("s3://uploads/a\\u000Ab\\u001B[31m\\u202Egpj.jpg");
    }

    @Test
    void aLongKeyIsShownInItsObjectCutShort() {
        ObjectRef ref = new ObjectRef("uploads", "k".repeat(1000));

        assertThat(ref.shown()).isEqualTo("s3://uploads/" + "k".repeat(100) + "\u2026 (a key of 1000 bytes)");
    }
}
