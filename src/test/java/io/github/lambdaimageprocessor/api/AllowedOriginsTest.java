package io.github.lambdaimageprocessor.api;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Which {@code Origin} headers the configured origins allow, and which configured values are refused. */
class AllowedOriginsTest {

    private final AllowedOrigins origins = AllowedOrigins.of(List.of("https://App.Example.com:443",
            "http://localhost:3000"));

    @ParameterizedTest
    @ValueSource(strings = { "https://app.example.com", "https://APP.example.com", "https://app.example.com:443",
            "http://localhost:3000" })
    void anOriginEqualAsAnOriginIsAllowedAndRepeatedAsSent(String origin) {
        assertThat(origins.allow(origin)).contains(origin);
    }

    @ParameterizedTest
    @ValueSource(strings = { "http://app.example.com", "https://app.example.com:8443", "https://app.example.com.evil",
            "https://evil-app.example.com", "https://example.com", "http://localhost", "http://localhost:30000",
            "null", "", "https://app.example.com/", "https://user@app.example.com" })
    void anyOtherOriginIsNot(String origin) {
        assertThat(origins.allow(origin)).isEmpty();
        assertThat(origins.allow(null)).isEmpty();
    }

    @Test
    void noneAllowsNothing() {
        assertThat(AllowedOrigins.of(List.of())).isSameAs(AllowedOrigins.NONE);
        assertThat(AllowedOrigins.NONE.isEmpty()).isTrue();
        assertThat(AllowedOrigins.NONE.allow("https://app.example.com")).isEmpty();
    }

    /** What a browser sends, so that a comparison by string (Spring MVC's CORS) matches it too. */
    @Test
    void theSerializedFormIsTheBrowsersLowerCaseWithoutTheDefaultPort() {
        assertThat(AllowedOrigins.of(List.of("https://App.Example.com:443", "http://localhost:3000",
                "http://[::1]:80", "https://app.example.com:8443")).serialized())
            .containsExactly("http://[::1]", "http://localhost:3000", "https://app.example.com",
                    "https://app.example.com:8443");
    }

    @ParameterizedTest
    @ValueSource(strings = { "*", "https://*.example.com", "https://app.example.com/", "https://app.example.com/app",
            "https://app.example.com?x=1", "https://app.example.com#x", "app.example.com", "ftp://app.example.com",
            "null", "https://user@app.example.com", "https://app.example.com:99999", "https://app.example.com:0",
            "https://", " " })
    void aValueThatIsNotAnHttpOriginIsRefusedSaidHow(String value) {
        assertThatIllegalArgumentException().isThrownBy(() -> AllowedOrigins.of(List.of("https://ok.example.com",
                value)))
            .withMessageContaining(value.isBlank() ? "an empty origin" : "'" + value + "'");
    }
}
