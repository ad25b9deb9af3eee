package io.github.lambdaimageprocessor.api;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PageAssetsTest {

    @Test
    void servesThePageAtTheRootAndItsScriptAndStyle() {
        assertThat(PageAssets.find("/")).hasValueSatisfying(page -> {
            assertThat(page.contentType()).startsWith("text/html");
            assertThat(new String(page.content(), StandardCharsets.UTF_8)).contains("<script src=\"app.js\"");
        });
        assertThat(PageAssets.find("/index.html")).isPresent();
        assertThat(PageAssets.find("/app.js")).hasValueSatisfying(
                script -> assertThat(script.contentType()).startsWith("text/javascript"));
        assertThat(PageAssets.find("/app.css")).hasValueSatisfying(
                style -> assertThat(style.contentType()).startsWith("text/css"));
    }

    @Test
    void readsNothingElseFromTheClasspath() {
        assertThat(PageAssets.find("/application.properties")).isEmpty();
        assertThat(PageAssets.find("/../application.properties")).isEmpty();
        assertThat(PageAssets.find("/static/app.js")).isEmpty();
        assertThat(PageAssets.find("/io/github/lambdaimageprocessor/ImageProcessorApplication.class")).isEmpty();
    }
}
