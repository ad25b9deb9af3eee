package io.github.lambdaimageprocessor.api;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

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

    @Test
    void theSecurityHeadersAllowWhatThePageDoesAndNoInlineCodeFramesOrForms() {
        assertThat(PageAssets.SECURITY_HEADERS).containsEntry("X-Content-Type-Options", "nosniff")
            .containsEntry("X-Frame-Options", "DENY")
            .containsEntry("Referrer-Policy", "no-referrer");
        String header = PageAssets.SECURITY_HEADERS.get("Content-Security-Policy");
        Map<String, String> policy = Arrays.stream(header.split(";"))
            .map(String::strip)
            .collect(Collectors.toMap(directive -> directive.substring(0, directive.indexOf(' ')),
                    directive -> directive.substring(directive.indexOf(' ') + 1)));

        assertThat(policy).containsEntry("default-src", "'self'")
            .containsEntry("script-src", "'self'")
            .containsEntry("style-src", "'self'")
            .containsEntry("frame-ancestors", "'none'")
            .containsEntry("base-uri", "'none'")
            .containsEntry("form-action", "'none'");
        // thumbnails: the app's own, S3 presigned GETs it redirects to, blob: URLs of the ones fetched with a token;
        // data: for the page's empty icon
        // (S3 in the aws-cn partition answers under amazonaws.com.cn)
        assertThat(policy.get("img-src").split(" ")).containsExactlyInAnyOrder("'self'", "data:", "blob:",
                "https://*.amazonaws.com", "https://*.amazonaws.com.cn");
        // the upload's presigned PUT goes to S3
        assertThat(policy.get("connect-src")).isEqualTo("'self' https://*.amazonaws.com https://*.amazonaws.com.cn");
        assertThat(policy.values()).noneMatch(sources -> sources.contains("'unsafe-")
                || Arrays.asList(sources.split(" ")).contains("*"));
    }

    @Test
    void thePageHasNoInlineScriptOrStyleThePolicyWouldBlock() {
        String page = new String(PageAssets.find("/").orElseThrow().content(), StandardCharsets.UTF_8);

        assertThat(page).doesNotContain("<style").doesNotContain("style=").doesNotContainPattern("<script(?![^>]*src=)")
            .doesNotContainPattern(" on[a-z]+=");
    }
}
