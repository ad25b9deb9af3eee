/**
 * The browser-upload HTTP API as plain Java over the use case's ports: granting uploads, listing and showing records,
 * thumbnails, and the local runtime's signed upload URLs. Spring MVC ({@code web}) and the API Gateway function
 * ({@code function}) are thin translations of it, so both answer alike. No Spring, no AWS here.
 */
package io.github.lambdaimageprocessor.api;
