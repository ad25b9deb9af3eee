package io.github.lambdaimageprocessor.web;

import java.util.Map;

import io.github.lambdaimageprocessor.DefaultSettings;
import io.github.lambdaimageprocessor.api.PageAssets;
import io.github.lambdaimageprocessor.config.ImageProcessorProperties;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** The page's files in the web slice; {@code api/PageAssetsTest} says what the headers hold. */
@WebMvcTest(PageController.class)
class PageControllerTest {

    @Autowired
    MockMvc mvc;

    /** For the problem handler the slice includes. */
    @TestConfiguration
    static class Settings {

        @Bean
        ImageProcessorProperties properties() {
            return DefaultSettings.PROPERTIES;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "/", "/index.html", "/app.js", "/app.css" })
    void everyFileOfThePageComesWithTheSecurityHeaders(String path) throws Exception {
        ResultActions response = mvc.perform(get(path)).andExpect(status().isOk());

        assertThat(PageAssets.SECURITY_HEADERS).containsKey("Content-Security-Policy");
        for (Map.Entry<String, String> expected : PageAssets.SECURITY_HEADERS.entrySet()) {
            response.andExpect(header().stringValues(expected.getKey(), expected.getValue()));
        }
    }
}
