package io.github.lambdaimageprocessor.config;

/**
 * The Levenshtein distance, for the start-up checks that answer a misspelt name with the one meant ("did you mean
 * us-east-1?"): a typo is an edit or two from it.
 */
public final class EditDistance {

    private EditDistance() {
    }

    /** How many single characters must be inserted, deleted or replaced to turn {@code a} into {@code b}. */
    public static int between(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
