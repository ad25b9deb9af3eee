package io.github.lambdaimageprocessor.web;

import java.net.InetAddress;
import java.util.List;

import io.github.lambdaimageprocessor.api.AllowedOrigins;
import io.github.lambdaimageprocessor.api.HmacUploadSigner;
import io.github.lambdaimageprocessor.config.ImageProcessorProperties;
import io.github.lambdaimageprocessor.config.SettingException;
import io.github.lambdaimageprocessor.config.UploadProperties;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.catalina.core.StandardHost;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.servlet.MultipartConfigFactory;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.MediaType;
import org.springframework.util.unit.DataSize;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.accept.HeaderContentNegotiationStrategy;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.multipart.MultipartResolver;
import org.springframework.web.multipart.support.StandardServletMultipartResolver;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.config.annotation.ContentNegotiationConfigurer;
import org.springframework.web.servlet.config.annotation.CorsRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.handler.AbstractHandlerMapping;

/** HTTP-only beans; absent when the function runs on Lambda. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class WebConfiguration {

    /**
     * First, before any route or guard reads a request: other websites' writes, and any request by a foreign host name
     * while the server listens on loopback (the default, {@code server.address=127.0.0.1}), are refused.
     */
    @Bean
    FilterRegistrationBean<ForeignRequestFilter> foreignRequestFilter(JsonMapper json, ServerProperties server,
            UploadProperties uploads) {
        InetAddress address = server.getAddress();
        FilterRegistrationBean<ForeignRequestFilter> registration = new FilterRegistrationBean<>(
                new ForeignRequestFilter(json, address != null && address.isLoopbackAddress(), uploads.origins()));
        registration.addUrlPatterns("/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 5);
        return registration;
    }

    /**
     * CORS for the origins in {@code image-processor.uploads.allowed-origins}, on the routes a page on another origin
     * uses, as the Lambda function answers them: the API's routes and the local stand-in for S3's presigned PUT, whose
     * ticket headers (besides {@code Content-Length}, which browsers set themselves) a preflight must allow. No
     * credentials: a page sends its token in {@code Authorization}. None configured (the default): no mapping, so no
     * CORS processing at all, as before.
     */
    @Bean
    WebMvcConfigurer crossOriginPages(UploadProperties uploads) {
        AllowedOrigins origins = uploads.origins();
        long maxAge = AllowedOrigins.PREFLIGHT_MAX_AGE.toSeconds();
        return new WebMvcConfigurer() {
            @Override
            public void addCorsMappings(CorsRegistry registry) {
                if (origins.isEmpty()) {
                    return;
                }
                String[] allowed = origins.serialized().toArray(String[]::new);
                registry.addMapping("/uploads")
                    .allowedOrigins(allowed)
                    .allowedMethods("POST")
                    .allowedHeaders("authorization", "content-type")
                    .exposedHeaders("Location")
                    .maxAge(maxAge);
                for (String reads : new String[] { "/images/**", "/thumbnails/**" }) {
                    registry.addMapping(reads)
                        .allowedOrigins(allowed)
                        .allowedMethods("GET", "HEAD")
                        .allowedHeaders("authorization")
                        .exposedHeaders("Location")
                        .maxAge(maxAge);
                }
                registry.addMapping(HmacUploadSigner.ROUTE + "**")
                    .allowedOrigins(allowed)
                    .allowedMethods("PUT")
                    .allowedHeaders("content-type", HmacUploadSigner.CHECKSUM_HEADER, "if-none-match")
                    .exposedHeaders("ETag")
                    .maxAge(maxAge);
            }
        };
    }

    /**
     * An {@code Accept} header that does not parse ({@code Accept: ;;;}) is taken as none, as RFC 9110 lets a server
     * do: Spring answered any request with it, problems included, with a 406 and no body at all, so a client with a
     * typo in a header it did not need got nothing to go on.
     */
    @Bean
    WebMvcConfigurer unparsableAcceptTakenAsNone() {
        return new WebMvcConfigurer() {
            @Override
            public void configureContentNegotiation(ContentNegotiationConfigurer configurer) {
                configurer.strategies(List.of(new HeaderContentNegotiationStrategy() {
                    @Override
                    public List<MediaType> resolveMediaTypes(NativeWebRequest request) {
                        try {
                            return super.resolveMediaTypes(request);
                        }
                        catch (HttpMediaTypeNotAcceptableException e) {
                            return MEDIA_TYPE_ALL_LIST;
                        }
                    }
                }));
            }
        };
    }

    /** Every handler mapping's CORS answers as the function's: {@link ProblemCorsProcessor}. */
    @Bean
    static BeanPostProcessor problemCorsProcessor(ObjectProvider<JsonMapper> json) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String beanName) {
                if (bean instanceof AbstractHandlerMapping mapping) {
                    mapping.setCorsProcessor(new ProblemCorsProcessor(json::getObject));
                }
                return bean;
            }
        };
    }

    @Bean
    FilterRegistrationBean<FunctionRequestFilter> functionRequestFilter(JsonMapper json,
            ObjectProvider<HmacUploadSigner> localUploadSigner) {
        // the local signed-upload route is there with its signer, not in profile aws
        FilterRegistrationBean<FunctionRequestFilter> registration = new FilterRegistrationBean<>(
                new FunctionRequestFilter(json, localUploadSigner.getIfAvailable() != null));
        registration.addUrlPatterns("/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    /** After the foreign-request check, before any route reads an upload's body. */
    @Bean
    FilterRegistrationBean<UploadMemoryFilter> uploadMemoryFilter(JsonMapper json,
            ImageProcessorProperties properties) {
        ImageProcessorProperties.Limits limits = properties.limits();
        checkHeapHolds(limits, Runtime.getRuntime().maxMemory());
        FilterRegistrationBean<UploadMemoryFilter> registration = new FilterRegistrationBean<>(
                new UploadMemoryFilter(json, limits.maxUploadSize().toBytes(), limits.uploadMemoryBytes()));
        registration.addUrlPatterns("/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 7);
        return registration;
    }

    /**
     * Refuses upload settings this JVM's heap cannot hold: the bodies held at once (at least one upload of
     * {@code max-upload-size}) may take half the heap, the rest is the decode's and the app's. Past that an upload failed
     * with {@link OutOfMemoryError}, answered 500, and so did whatever else allocated at that moment.
     *
     * @throws SettingException when they do not fit
     */
    static void checkHeapHolds(ImageProcessorProperties.Limits limits, long maxHeap) {
        long share = maxHeap / 2;
        long uploadLimit = limits.maxUploadSize().toBytes();
        if (uploadLimit > share) {
            throw new SettingException("image-processor.limits.max-upload-size (" + megabytes(uploadLimit)
                    + ") is more than half of this JVM's maximum heap (" + megabytes(maxHeap) + "): one upload that "
                    + "large would run the heap out and fail with a 500, and other requests with it",
                    "Lower image-processor.limits.max-upload-size (IMAGE_PROCESSOR_LIMITS_MAX_UPLOAD_SIZE) to at most "
                            + wholeMegabytes(share) + ", or give the JVM a heap of twice the limit and a little more: "
                            + heapFor(uploadLimit) + " or more");
        }
        // unset, it is a quarter of the heap
        long budget = limits.uploadMemory() == null ? 0 : limits.uploadMemory().toBytes();
        if (budget > share) {
            throw new SettingException("image-processor.limits.upload-memory (" + megabytes(budget) + ") is more "
                    + "than half of this JVM's maximum heap (" + megabytes(maxHeap) + "): uploads received at once "
                    + "could run the heap out and fail with a 500, and other requests with them",
                    "Lower image-processor.limits.upload-memory (IMAGE_PROCESSOR_LIMITS_UPLOAD_MEMORY) to at most "
                            + wholeMegabytes(share) + ", leave it unset (a quarter of the heap), or give the JVM more "
                            + "heap: " + heapFor(budget) + " or more");
        }
    }

    private static String megabytes(long bytes) {
        return Math.ceilDiv(bytes, 1024 * 1024) + " MB";
    }

    /** A bound to stay within, rounded down: rounded up, "at most 20 MB" of a 19.3 MB share was refused again. */
    private static String wholeMegabytes(long bytes) {
        return bytes / (1024 * 1024) + " MB";
    }

    /**
     * The -Xmx whose heap holds {@code bytes} as its half: the serial and parallel collectors (the JVM's choice on one
     * CPU or under 1792 MB) report 96-97 % of -Xmx as the maximum heap, so -Xmx40m did not hold a 20 MB upload.
     */
    private static String heapFor(long bytes) {
        return "-Xmx" + Math.ceilDiv(bytes * 2 * 11 / 10, 1024 * 1024) + "m";
    }

    /**
     * A request body that arrives below {@code image-processor.limits.min-upload-rate} ends with 408 once its grace
     * period is over, on every route that reads one, forms included: {@link MinimumBodyRateValve}. With a rate of 0
     * no body is too slow, but one that stops arriving still ends at Tomcat's first read timeout, not its second.
     */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> minimumBodyRate(ImageProcessorProperties properties) {
        ImageProcessorProperties.Limits limits = properties.limits();
        return factory -> factory.addContextValves(
                new MinimumBodyRateValve(limits.minUploadRate().toBytes(), limits.minUploadRateGrace()));
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

    /**
     * The largest form part kept in memory rather than in a temporary file: a photo from a phone or a 24 MP camera. Its
     * bytes are read whole into memory right after anyway, and writing and reading back a file cost 5-7 CPU ms more
     * per 3.5 MB upload on the baseline set (the page cache's copies). A larger part still goes to disk, which bounds
     * the memory a form holds besides the file's own bytes.
     */
    static final DataSize IN_MEMORY_PART = DataSize.ofMegabytes(16);

    /**
     * Forms are parsed for POST only, the one method a route takes a form with ({@code POST /images}). Spring's resolver
     * parses any request typed {@code multipart/*} before its route, whatever the method: a {@code PUT /images/{key}}
     * whose body is the file, sent as {@code multipart/form-data} by a sloppy client, was answered "The body ended
     * before the N bytes its Content-Length announced" (the parser had read it), and a PUT to a local upload URL had
     * its body parsed and spooled before its signature was checked. A PUT's body is its route's, whatever its type
     * says, as {@code spring.mvc.formcontent.filter.enabled=false} keeps it for form-encoded ones. Named as Spring
     * Boot's own, which the DispatcherServlet looks up by that name, so this one replaces it.
     */
    @Bean(DispatcherServlet.MULTIPART_RESOLVER_BEAN_NAME)
    MultipartResolver multipartResolver() {
        return new StandardServletMultipartResolver() {
            @Override
            public boolean isMultipart(HttpServletRequest request) {
                return "POST".equals(request.getMethod()) && super.isMultipart(request);
            }
        };
    }

    /** Uploads to {@code POST /images} up to {@code image-processor.limits.max-upload-size}; larger ones get 413. */
    @Bean
    MultipartConfigElement multipartConfigElement(ImageProcessorProperties properties) {
        MultipartConfigFactory factory = new MultipartConfigFactory();
        DataSize limit = properties.limits().maxUploadSize();
        factory.setMaxFileSize(limit);
        factory.setMaxRequestSize(limit);
        factory.setFileSizeThreshold(limit.compareTo(IN_MEMORY_PART) < 0 ? limit : IN_MEMORY_PART);
        return factory.createMultipartConfig();
    }
}
