package io.github.lambdaimageprocessor.web;

import io.github.lambdaimageprocessor.api.ApiException;
import io.github.lambdaimageprocessor.api.PageAssets;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The upload page at {@code /}. Mapped explicitly: Spring Cloud Function's web endpoint would otherwise take any path
 * no controller claims as input for the function, before static resources are looked at.
 */
@RestController
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class PageController {

    @GetMapping({ "/", "/index.html", "/app.js", "/app.css" })
    ResponseEntity<byte[]> page(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        PageAssets.Asset asset = PageAssets.find(path)
            .orElseThrow(() -> ApiException.notFound("No such page: " + path));
        return ResponseEntity.ok()
            .contentType(MediaType.parseMediaType(asset.contentType()))
            .cacheControl(CacheControl.noCache())
            .headers(headers -> PageAssets.SECURITY_HEADERS.forEach(headers::set))
            .body(asset.content());
    }
}
