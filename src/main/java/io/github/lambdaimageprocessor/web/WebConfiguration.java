package io.github.lambdaimageprocessor.web;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
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
}
