package io.github.lambdaimageprocessor.web;

import io.github.lambdaimageprocessor.config.ImageProcessorProperties;
import jakarta.servlet.MultipartConfigElement;
import org.apache.catalina.core.StandardHost;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.servlet.MultipartConfigFactory;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** HTTP-only beans; absent when the function runs on Lambda. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class WebConfiguration {

    @Bean
    FilterRegistrationBean<FunctionRequestFilter> functionRequestFilter(JsonMapper json) {
        FilterRegistrationBean<FunctionRequestFilter> registration = new FilterRegistrationBean<>(
                new FunctionRequestFilter(json));
        registration.addUrlPatterns("/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    /** Tomcat's own refusals (before any servlet runs) as problem details too: {@link ProblemErrorReportValve}. */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReports() {
        return factory -> factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
            }
        });
    }

    /** Uploads to {@code POST /images} up to {@code image-processor.limits.max-upload-size}; larger ones get 413. */
    @Bean
    MultipartConfigElement multipartConfigElement(ImageProcessorProperties properties) {
        MultipartConfigFactory factory = new MultipartConfigFactory();
        factory.setMaxFileSize(properties.limits().maxUploadSize());
        factory.setMaxRequestSize(properties.limits().maxUploadSize());
        return factory.createMultipartConfig();
    }
}
