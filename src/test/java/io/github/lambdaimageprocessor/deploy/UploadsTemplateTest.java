package io.github.lambdaimageprocessor.deploy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.github.lambdaimageprocessor.ImageProcessorApplication;
import org.junit.jupiter.api.Test;

import static io.github.lambdaimageprocessor.deploy.SamTemplate.HTTP_API_FUNCTION;
import static io.github.lambdaimageprocessor.deploy.SamTemplate.asList;
import static io.github.lambdaimageprocessor.deploy.SamTemplate.asMap;
import static io.github.lambdaimageprocessor.deploy.SamTemplate.map;
import static io.github.lambdaimageprocessor.deploy.SamTemplate.ref;
import static org.assertj.core.api.Assertions.assertThat;

/** The browser-upload part of template.yaml: what cfn-lint cannot know (docs/uploads.md). */
class UploadsTemplateTest {

    private static final SamTemplate TEMPLATE = SamTemplate.load();

    private static final Map<String, Object> FUNCTION = TEMPLATE.function(HTTP_API_FUNCTION).getValue();

    @Test
    void theApiFunctionIsTheSameJarWithItsOwnDefinitionAndAlias() {
        Map<String, Object> processImage = TEMPLATE.function().getValue();
        for (String same : List.of("CodeUri", "Handler", "Runtime")) {
            assertThat(FUNCTION.get(same)).as(same).isEqualTo(processImage.get(same));
        }
        assertThat(TEMPLATE.resource(HTTP_API_FUNCTION).get("Metadata")).isEqualTo(Map.of("BuildMethod", "makefile"));
        assertThat(FUNCTION).containsEntry("AutoPublishAlias", "live");
        Map<String, Object> environment = TEMPLATE.environment(HTTP_API_FUNCTION);
        assertThat(environment).containsEntry("SPRING_CLOUD_FUNCTION_DEFINITION", "httpApi")
            .containsEntry("SPRING_PROFILES_ACTIVE", "aws")
            .containsEntry("MAIN_CLASS", ImageProcessorApplication.class.getName());
        assertThat(environment.get("UPLOAD_BUCKET")).isEqualTo(TEMPLATE.environment().get("UPLOAD_BUCKET"));
    }

    @Test
    void anonymousUseNeedsAnExplicitOptInAndNeverAppliesWithAnAuthorizer() {
        assertThat(TEMPLATE.parameters().get("AllowAnonymousUploads"))
            .isEqualTo(Map.of("Type", "String", "Default", "false", "AllowedValues", List.of("false", "true"),
                    "Description", asMap(TEMPLATE.parameters().get("AllowAnonymousUploads")).get("Description")));
        assertThat(TEMPLATE.environment(HTTP_API_FUNCTION).get("IMAGE_PROCESSOR_UPLOADS_ALLOW_ANONYMOUS"))
            .isEqualTo(Map.of("Fn::If", List.of("HasUploadsJwtAuthorizer", "false", ref("AllowAnonymousUploads"))));
        assertThat(TEMPLATE.conditions().get("HasUploadsJwtAuthorizer")).asString()
            .contains("UploadsJwtIssuer")
            .contains("UploadsJwtAudience");
    }

    /**
     * The authorizer exists only with both values: an issuer without an audience (or the reverse) would otherwise
     * deploy without one and without a word, and with {@code AllowAnonymousUploads=true} open to anyone.
     */
    @Test
    void halfAnAuthorizerIsRefusedBeforeAnythingChanges() {
        String issuer = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example";
        Map<String, String> issuerOnly = Map.of("UploadsJwtIssuer", issuer, "AllowAnonymousUploads", "true");
        assertThat(TEMPLATE.rendered(issuerOnly).resources()).doesNotContainKey("UploadsJwtAuthorizer");

        assertThat(TEMPLATE.brokenRules(Map.of())).isEmpty();
        assertThat(TEMPLATE.brokenRules(Map.of("UploadsJwtIssuer", issuer, "UploadsJwtAudience", "client-id")))
            .isEmpty();
        assertThat(TEMPLATE.brokenRules(issuerOnly)).singleElement()
            .satisfies(description -> assertThat(description).contains("UploadsJwtIssuer needs UploadsJwtAudience"));
        assertThat(TEMPLATE.brokenRules(Map.of("UploadsJwtAudience", "client-id"))).singleElement()
            .satisfies(description -> assertThat(description).contains("UploadsJwtAudience needs UploadsJwtIssuer"));
    }

    /**
     * API Gateway takes only an https issuer, and splits the audience on commas without trimming: a space after a
     * comma would make an audience no token carries. Refused before the stack changes, not at the authorizer's creation.
     */
    @Test
    void theIssuerIsAnHttpsUrlAndTheAudiencesHaveNoSpaces() {
        String issuer = String.valueOf(asMap(TEMPLATE.parameters().get("UploadsJwtIssuer")).get("AllowedPattern"));
        String audience = String.valueOf(asMap(TEMPLATE.parameters().get("UploadsJwtAudience")).get("AllowedPattern"));

        assertThat(List.of("", "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example"))
            .allSatisfy(value -> assertThat(value).matches(issuer));
        assertThat(List.of("http://issuer.example.com", "issuer.example.com", "https://issuer.example.com/ x"))
            .allSatisfy(value -> assertThat(value).doesNotMatch(issuer));
        assertThat(List.of("", "client-id", "one,two")).allSatisfy(value -> assertThat(value).matches(audience));
        assertThat(List.of("one, two", "one,", ",one", " one")).allSatisfy(value -> assertThat(value)
            .doesNotMatch(audience));
    }

    /**
     * Open without a token: the page, and CORS preflights, which a browser sends without {@code Authorization} and
     * which the function answers with no data. Every other route, {@code $default} included, takes the authorizer.
     */
    @Test
    void everyApiRouteTakesTheJwtAuthorizerWhenOneIsConfiguredAndThePageAndPreflightsNever() {
        Map<String, Map<String, Object>> routes = TEMPLATE.resourcesOfType("AWS::ApiGatewayV2::Route");
        Set<String> guarded = new TreeSet<>();
        Set<String> open = new TreeSet<>();
        routes.values().forEach(route -> {
            assertThat(route.get("ApiId")).isEqualTo(ref("UploadsHttpApi"));
            assertThat(route.get("Target")).isEqualTo(Map.of("Fn::Sub", "integrations/${UploadsApiIntegration}"));
            if ("NONE".equals(route.get("AuthorizationType"))) {
                assertThat(route).doesNotContainKey("AuthorizerId");
                open.add((String) route.get("RouteKey"));
            }
            else if (route.containsKey("AuthorizationType")) {
                assertThat(route.get("AuthorizationType"))
                    .isEqualTo(Map.of("Fn::If", List.of("HasUploadsJwtAuthorizer", "JWT", "NONE")));
                assertThat(route.get("AuthorizerId")).isEqualTo(Map.of("Fn::If",
                        List.of("HasUploadsJwtAuthorizer", ref("UploadsJwtAuthorizer"), ref("AWS::NoValue"))));
                guarded.add((String) route.get("RouteKey"));
            }
            else {
                open.add((String) route.get("RouteKey"));
            }
        });
        assertThat(guarded).containsExactlyInAnyOrder("POST /uploads", "GET /images", "GET /images/{key+}",
                "GET /thumbnails/{key+}", "$default");
        assertThat(open).containsExactlyInAnyOrder("GET /", "GET /app.js", "GET /app.css", "OPTIONS /{proxy+}");
        Map<String, Object> authorizer = TEMPLATE.resource("UploadsJwtAuthorizer");
        assertThat(authorizer).containsEntry("Condition", "HasUploadsJwtAuthorizer");
        assertThat(map(asMap(authorizer.get("Properties")), "JwtConfiguration"))
            .containsEntry("Issuer", ref("UploadsJwtIssuer"));
    }

    /**
     * The public preflight route serves only pages on UploadsAllowedOrigins. Without any (the default) it would only
     * let anyone invoke the function without a token, for a 403, where the authorizer answered those requests before
     * the function ran: no origin, no route, and a preflight gets what it got before the setting existed.
     */
    @Test
    void thePublicPreflightRouteExistsOnlyWithAllowedOrigins() {
        Set<String> without = routeKeys(TEMPLATE.rendered(Map.of()));
        Set<String> with = routeKeys(TEMPLATE.rendered(Map.of("UploadsAllowedOrigins", "https://app.example.com")));

        assertThat(without).doesNotContain("OPTIONS /{proxy+}").contains("$default", "POST /uploads");
        assertThat(with).contains("OPTIONS /{proxy+}", "$default", "POST /uploads");
    }

    private static Set<String> routeKeys(SamTemplate template) {
        Set<String> keys = new TreeSet<>();
        template.resourcesOfType("AWS::ApiGatewayV2::Route").values()
            .forEach(route -> keys.add((String) route.get("RouteKey")));
        return keys;
    }

    /**
     * An update that changes the API's OpenAPI body re-imports it, which deletes the routes and the integration declared
     * beside it (aws/serverless-application-model#1971): the body is the one SAM made for the first stacks, written
     * out so that neither an edit nor another SAM version changes it, and the routes are resources of their own.
     */
    @Test
    void theApiBodyIsFixedAndHoldsNoRoutes() {
        assertThat(TEMPLATE.resourcesOfType("AWS::Serverless::HttpApi")).isEmpty();
        assertThat(TEMPLATE.resource("UploadsHttpApi")).containsEntry("Type", "AWS::ApiGatewayV2::Api");
        assertThat(TEMPLATE.properties("UploadsHttpApi")).containsOnlyKeys("Body");
        assertThat(TEMPLATE.properties("UploadsHttpApi").get("Body")).isEqualTo(Map.of(
                "openapi", "3.0.1",
                "info", Map.of("version", "1.0", "description", "Browser uploads for lambda-image-processor",
                        "title", ref("AWS::StackName")),
                "paths", Map.of(),
                "tags", List.of(Map.of("name", "httpapi:createdBy", "x-amazon-apigateway-tag-value", "SAM"))));
        assertThat(TEMPLATE.properties("UploadsHttpApiApiGatewayDefaultStage")).containsEntry("ApiId",
                ref("UploadsHttpApi"))
            .containsEntry("StageName", "$default")
            .containsEntry("AutoDeploy", true);
    }

    @Test
    void theApiIsThrottledByParameters() {
        Map<String, Object> settings = map(TEMPLATE.properties("UploadsHttpApiApiGatewayDefaultStage"),
                "DefaultRouteSettings");

        assertThat(settings).containsEntry("ThrottlingRateLimit", ref("UploadsThrottlingRateLimit"))
            .containsEntry("ThrottlingBurstLimit", ref("UploadsThrottlingBurstLimit"));
    }

    /**
     * Requests API Gateway answers itself, a 401 from the JWT authorizer or a 429 from the throttle, never reach the
     * function and so left no line anywhere: the access log is the only place they show, with the reason. It names
     * the route, not the path, so no photo's name (a person's, often) is written to it.
     */
    @Test
    void theApiWritesAnAccessLogThatExplainsTheAnswersTheFunctionNeverSees() {
        Map<String, Object> settings = map(TEMPLATE.properties("UploadsHttpApiApiGatewayDefaultStage"),
                "AccessLogSettings");
        String logGroup = "UploadsApiAccessLogGroup";

        assertThat(settings.get("DestinationArn")).isEqualTo(Map.of("Fn::GetAtt", List.of(logGroup, "Arn")));
        assertThat(TEMPLATE.resource(logGroup)).containsEntry("Type", "AWS::Logs::LogGroup");
        assertThat(TEMPLATE.properties(logGroup)).containsEntry("RetentionInDays", 30);
        assertThat(String.valueOf(settings.get("Format"))).contains("$context.requestId", "$context.status",
                "$context.routeKey", "$context.authorizer.error", "$context.error.message",
                "$context.integrationErrorMessage", "$context.identity.sourceIp")
            .doesNotContain("$context.path");
    }

    @Test
    void theApiRoleMayPresignUploadsAndThumbnailReadsAndReadRecordsOnly() {
        Set<String> actions = new TreeSet<>();
        List<Map<String, Object>> statements = SamTemplateTest.allowStatements(HTTP_API_FUNCTION);
        statements.forEach(statement -> asList(statement.get("Action")).forEach(a -> actions.add((String) a)));

        // ListBucket on the processed bucket only: a peer's thumbnail not replicated yet is a 404, not a 403
        assertThat(actions).containsExactlyInAnyOrder("s3:PutObject", "s3:GetObject", "s3:ListBucket",
                "dynamodb:GetItem", "dynamodb:Query");
        assertThat(statements.stream().filter(statement -> asList(statement.get("Action")).contains("s3:ListBucket")))
            .singleElement()
            .satisfies(statement -> assertThat(statement.get("Resource"))
                .isEqualTo(Map.of("Fn::GetAtt", List.of("ProcessedBucket", "Arn"))));
        Map<String, Object> put = statements.stream()
            .filter(statement -> asList(statement.get("Action")).contains("s3:PutObject"))
            .findFirst()
            .orElseThrow();
        // only under the upload prefix: no overwriting other uploads, no writes to the processed bucket
        assertThat(String.valueOf(put.get("Resource"))).contains("image-uploads-").contains("/browser/*");
        Map<String, Object> query = statements.stream()
            .filter(statement -> asList(statement.get("Action")).contains("dynamodb:Query"))
            .findFirst()
            .orElseThrow();
        assertThat(String.valueOf(query.get("Resource"))).endsWith("/index/recent}");
        assertThat(String.valueOf(TEMPLATE.function(HTTP_API_FUNCTION).getValue()))
            .doesNotContain("sns:Publish").doesNotContain("dynamodb:Scan");
    }

    /** The function answers the parameter's origins' preflights and adds CORS headers for them; empty is none. */
    @Test
    void theApiFunctionIsToldTheAllowedOrigins() {
        assertThat(TEMPLATE.environment(HTTP_API_FUNCTION)).containsEntry("IMAGE_PROCESSOR_UPLOADS_ALLOWED_ORIGINS",
                ref("UploadsAllowedOrigins"));
        assertThat(TEMPLATE.parameters().get("UploadsAllowedOrigins")).asString()
            .doesNotContain("answers no CORS")
            .doesNotContain("its own backend");
    }

    @Test
    void theUploadBucketAllowsBrowserPutsFromTheApiAndConfiguredOriginsOnlyExposingETag() {
        List<Object> rules = asList(map(TEMPLATE.properties("UploadBucket"), "CorsConfiguration").get("CorsRules"));

        assertThat(rules).singleElement().satisfies(rule -> {
            Map<String, Object> cors = asMap(rule);
            assertThat(cors.get("AllowedMethods")).isEqualTo(List.of("PUT"));
            assertThat(cors.get("ExposedHeaders")).isEqualTo(List.of("ETag"));
            // the headers a ticket signs besides Content-Length, which browsers set themselves
            assertThat(cors.get("AllowedHeaders")).isEqualTo(List.of("content-type", "x-amz-checksum-sha256",
                    "if-none-match"));
            String origins = String.valueOf(cors.get("AllowedOrigins"));
            assertThat(origins).contains("UploadsAllowedOrigins").contains("${UploadsHttpApi}.execute-api")
                .doesNotContain("'*'").doesNotContain("=*");
        });
    }

    /**
     * A browser's {@code Origin} never holds a path or a trailing slash, so an origin written with one would match no
     * request: the parameter refuses it rather than deploy a CORS rule that silently never applies. Nor a wildcard,
     * which the function refuses at start-up (every website could call the API): refused before the stack changes.
     */
    @Test
    void allowedOriginsAreOriginsWithoutAPath() {
        String pattern = String.valueOf(asMap(TEMPLATE.parameters().get("UploadsAllowedOrigins")).get("AllowedPattern"));

        assertThat(List.of("", "https://app.example.com", "http://localhost:3000,https://app.example.com"))
            .allSatisfy(value -> assertThat(value).matches(pattern));
        assertThat(List.of("https://app.example.com/", "https://app.example.com/upload", "app.example.com",
                "https://a.example.com, https://b.example.com", "https://a.example.com,", "*", "https://*",
                "https://*.example.com", "https://app.example.com?x", "https://app.example.com#x"))
            .allSatisfy(value -> assertThat(value).doesNotMatch(pattern));
    }

    /**
     * The upload bucket's CORS rule takes the parameter as written and S3 compares it with the browser's
     * {@code Origin} as a string, which is lower case without a default port. The function compares origins as
     * origins, so {@code https://App.example.com} or {@code https://app.example.com:443} would pass every API call
     * and then fail the page's PUT to S3 on CORS: the parameter takes origins only as browsers write them.
     */
    @Test
    void allowedOriginsAreWrittenAsBrowsersSendThemSinceS3ComparesThemAsStrings() {
        String pattern = String.valueOf(asMap(TEMPLATE.parameters().get("UploadsAllowedOrigins")).get("AllowedPattern"));

        assertThat(List.of("https://app.example.com:8443", "http://localhost:3000", "https://a.example.com:4430",
                "http://localhost:8080,https://app.example.com", "https://app.example.com:80",
                "http://app.example.com:443"))
            .allSatisfy(value -> assertThat(value).matches(pattern));
        assertThat(List.of("https://App.example.com", "HTTPS://app.example.com", "https://app.example.com:443",
                "http://localhost:80", "http://localhost:3000,https://app.example.com:443",
                "https://app.example.com:443,http://localhost:3000", "http://LOCALHOST:3000"))
            .allSatisfy(value -> assertThat(value).doesNotMatch(pattern));
    }

    @Test
    void theProcessedBucketLetsTheApisOwnPageReadThumbnailsWithAPlainGet() {
        List<Object> rules = asList(map(TEMPLATE.properties("ProcessedBucket"), "CorsConfiguration").get("CorsRules"));

        assertThat(rules).singleElement().satisfies(rule -> {
            Map<String, Object> cors = asMap(rule);
            assertThat(cors.get("AllowedMethods")).isEqualTo(List.of("GET"));
            // the browser drops Authorization on the redirect to the presigned URL: no header to allow, no preflight
            assertThat(cors).doesNotContainKey("AllowedHeaders");
            // another origin's fetch arrives through two cross-origin hops with Origin: null, which no rule allows
            assertThat(cors.get("AllowedOrigins")).isEqualTo(List.of(Map.of("Fn::Sub",
                    "https://${UploadsHttpApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}")));
        });
    }

    @Test
    void theApiInvokesTheAliasSoSnapStartApplies() {
        assertThat(TEMPLATE.properties("UploadsApiIntegration")).containsEntry("IntegrationUri",
                ref(HTTP_API_FUNCTION + "Aliaslive"))
            .containsEntry("PayloadFormatVersion", "2.0");
        assertThat(TEMPLATE.properties("UploadsApiInvokePermission")).containsEntry("FunctionName",
                ref(HTTP_API_FUNCTION + "Aliaslive"));
        assertThat(TEMPLATE.outputs()).containsKey("UploadsApiUrl");
    }
}
