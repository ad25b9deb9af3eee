package io.github.lambdaimageprocessor.aws;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.PatternSyntaxException;

import javax.net.ssl.SSLException;

import io.github.lambdaimageprocessor.config.ImageProcessorProperties;
import io.github.lambdaimageprocessor.config.SettingException;
import io.github.lambdaimageprocessor.processing.Causes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.awscore.AwsServiceClientConfiguration;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.NotFoundException;

import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Profile aws, outside Lambda: before the app takes any work (the web server starts, a command runs), asks AWS
 * whether the processed bucket, the table and the topic it was given exist, and whether the table has the key and
 * index the records need. A misspelt name then stops the start, naming the setting, instead of failing every upload
 * with a 500 whose cause is only in the log, or a backfill at its first object. Only a definite answer refuses, and no
 * credentials at all, with which no call can be made: an endpoint that cannot be reached, access denied (a role may
 * lack s3:ListBucket, dynamodb:DescribeTable or sns:GetTopicAttributes) or throttling leave a warning, and the app
 * starts. The upload bucket, which only the upload routes write to, is warned about, not refused. On Lambda nothing is asked: the template creates what it names, and
 * the calls would lengthen every cold start.
 */
final class AwsResourceCheck implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(AwsResourceCheck.class);

    /** Per call, retries included: a blackholed endpoint delays the start by seconds, not by the SDK's minutes. */
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);

    private static final AwsRequestOverrideConfiguration TIMEOUT = AwsRequestOverrideConfiguration.builder()
        .apiCallTimeout(CALL_TIMEOUT)
        .build();

    private final S3Client s3;

    private final DynamoDbClient dynamoDb;

    private final SnsClient sns;

    private final ImageProcessorProperties properties;

    private final boolean onLambda;

    private final Function<String, String> environment;

    /** @param onLambda whether this process is a Lambda function (then nothing is checked) */
    AwsResourceCheck(S3Client s3, DynamoDbClient dynamoDb, SnsClient sns, ImageProcessorProperties properties,
            boolean onLambda) {
        this(s3, dynamoDb, sns, properties, onLambda, System::getenv);
    }

    /** @param environment the process's environment variables, for the proxy the SDK takes from HTTP_PROXY */
    AwsResourceCheck(S3Client s3, DynamoDbClient dynamoDb, SnsClient sns, ImageProcessorProperties properties,
            boolean onLambda, Function<String, String> environment) {
        this.s3 = s3;
        this.dynamoDb = dynamoDb;
        this.sns = sns;
        this.properties = properties;
        this.onLambda = onLambda;
        this.environment = environment;
    }

    @Override
    public void afterSingletonsInstantiated() {
        if (onLambda) {
            return;
        }
        List<String> wrong = new ArrayList<>();
        try {
            checkBucket("PROCESSED_BUCKET (image-processor.processed-bucket)", properties.processedBucket())
                .ifPresent(wrong::add);
            checkBucket("UPLOAD_BUCKET (image-processor.upload-bucket)", properties.uploadBucket())
                .ifPresent(problem -> log.warn("{}: PUT /images, POST /images and POST /uploads will fail until it "
                        + "does (events and backfills of other buckets are not affected)", problem));
            checkTable().ifPresent(wrong::add);
            checkTopic().ifPresent(wrong::add);
        }
        catch (Unreachable e) {
            // one endpoint for all three in practice: asking the others would only wait out their retries too
            log.warn("Could not check at start that the buckets, table and topic exist: {}; the app starts all the "
                    + "same, and every image it is given fails until it can reach {}", e.getMessage(), e.serviceAt);
            return;
        }
        if (!wrong.isEmpty()) {
            throw new SettingException("Profile aws: " + String.join("; ", wrong),
                    "Correct the name, or create what is missing: `sam deploy` does on AWS, docs/localstack-moto.md "
                            + "shows the commands for moto and LocalStack. (The names are checked only outside "
                            + "Lambda, once at start.)");
        }
    }

    private Optional<String> checkBucket(String setting, String bucket) {
        try {
            s3.headBucket(request -> request.bucket(bucket).overrideConfiguration(TIMEOUT));
            return Optional.empty();
        }
        catch (NoSuchBucketException e) {
            return Optional.of(setting + " names the bucket '" + bucket + "', which does not exist "
                    + where(s3.serviceClientConfiguration()));
        }
        catch (SdkClientException e) {
            throw unreachable("S3", s3.serviceClientConfiguration(), e, bucket);
        }
        catch (SdkException e) {
            return cannotTell("the bucket '" + bucket + "'", e);
        }
    }

    private Optional<String> checkTable() {
        String table = properties.table();
        String setting = "DDB_TABLE (image-processor.table)";
        TableDescription description;
        try {
            description = dynamoDb.describeTable(request -> request.tableName(table).overrideConfiguration(TIMEOUT))
                .table();
        }
        catch (ResourceNotFoundException e) {
            return Optional.of(setting + " names the table '" + table + "', which does not exist "
                    + where(dynamoDb.serviceClientConfiguration()));
        }
        catch (SdkClientException e) {
            throw unreachable("DynamoDB", dynamoDb.serviceClientConfiguration(), e, null);
        }
        catch (SdkException e) {
            return cannotTell("the table '" + table + "'", e);
        }
        if (!isStringKey(description.keySchema(), description.attributeDefinitions(), DynamoDbMetadataRepository.ID)) {
            return Optional.of("the table '" + table + "' (" + setting + ") must have the String partition key '"
                    + DynamoDbMetadataRepository.ID + "' and no sort key, but its key is "
                    + keyText(description.keySchema()));
        }
        GlobalSecondaryIndexDescription recent = description.globalSecondaryIndexes().stream()
            .filter(index -> index.indexName().equals(DynamoDbMetadataRepository.RECENT_INDEX))
            .findFirst()
            .orElse(null);
        if (recent == null || !hasRecentKey(recent.keySchema())) {
            return Optional.of("the table '" + table + "' (" + setting + ") needs the global secondary index '"
                    + DynamoDbMetadataRepository.RECENT_INDEX + "' (partition key '" + DynamoDbMetadataRepository.LISTING
                    + "', sort key '" + DynamoDbMetadataRepository.LISTED_AT + "', both String), which GET /images "
                    + "lists records with; "
                    + (recent == null ? "it has none of that name" : "its key is " + keyText(recent.keySchema())));
        }
        return Optional.empty();
    }

    private Optional<String> checkTopic() {
        String topicArn = properties.topicArn();
        try {
            sns.getTopicAttributes(request -> request.topicArn(topicArn).overrideConfiguration(TIMEOUT));
            return Optional.empty();
        }
        catch (NotFoundException e) {
            return Optional.of("SNS_TOPIC_ARN (image-processor.topic-arn) names the topic '" + topicArn
                    + "', which does not exist " + where(sns.serviceClientConfiguration())
                    + otherRegion(topicArn, sns.serviceClientConfiguration()));
        }
        catch (SdkClientException e) {
            throw unreachable("SNS", sns.serviceClientConfiguration(), e, null);
        }
        catch (SdkException e) {
            return cannotTell("the topic '" + topicArn + "'", e);
        }
    }

    /**
     * Not a refusal: a warning, so that an operator who sees uploads fail later knows where to look. (An endpoint that
     * cannot be reached is caught before, and goes up to the caller, which stops asking.)
     */
    private static Optional<String> cannotTell(String what, SdkException e) {
        // a HEAD's refusal has no body, so no error code: its status says enough (403 denied, 301 another region)
        String reason = e instanceof AwsServiceException service
                ? (service.awsErrorDetails() != null && service.awsErrorDetails().errorCode() != null
                        ? service.awsErrorDetails().errorCode() + " " : "")
                        + "(HTTP " + service.statusCode() + ")"
                : e.getMessage();
        log.warn("Could not check at start that {} exists: {}; the app starts all the same", what, reason);
        return Optional.empty();
    }

    /**
     * The SDK's own words name neither the endpoint nor what to do ("Received an UnknownHostException ... See cause
     * for the exact endpoint"; "Connect to 127.0.0.1:3128" for a proxy nobody meant to use), and the cause that
     * would say is not logged: this names the service, where it was asked, and the usual mistake behind each failure.
     *
     * @param bucket the bucket S3 was asked about, whose name S3 puts in the host name unless path-style is on
     */
    private Unreachable unreachable(String service, AwsServiceClientConfiguration client, SdkClientException e,
            String bucket) {
        if (e.getMessage() != null && e.getMessage().startsWith("Unable to load credentials")) {
            // not a question of reaching anything: no call can be signed until the environment changes, so every
            // upload would fail; the SDK's text lists six providers and their reasons in one 1,500-character line
            throw new SettingException("Profile aws found no AWS credentials: S3, DynamoDB and SNS take only signed "
                    + "calls, and none were set in SPRING_CLOUD_AWS_CREDENTIALS_ACCESS_KEY and ..._SECRET_KEY, "
                    + "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, ~/.aws/credentials (AWS_PROFILE), or a "
                    + "container or instance role",
                    "Set SPRING_CLOUD_AWS_CREDENTIALS_ACCESS_KEY and SPRING_CLOUD_AWS_CREDENTIALS_SECRET_KEY (against "
                            + "moto or LocalStack any values do: test and test, docs/localstack-moto.md), or "
                            + "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run where a role gives them. (Checked "
                            + "only outside Lambda, once at start.)");
        }
        String endpoint = client.endpointOverride().map(Object::toString).orElse(null);
        String at = service + " " + (endpoint != null ? "at " + endpoint : "in " + client.region() + " (AWS itself)");
        String proxy = proxyFor(client.endpointOverride().map(java.net.URI::getHost).orElse(null));
        String why;
        Optional<UnknownHostException> unknown = Causes.first(e, UnknownHostException.class);
        Optional<SSLException> tls = Causes.first(e, SSLException.class);
        if (unknown.isPresent()) {
            why = unknownHost(hostOf(unknown.get()), bucket, endpoint);
        }
        else if (tls.isPresent() && endpoint != null && endpoint.startsWith("https:")) {
            why = "no TLS connection could be made (" + tls.get().getMessage() + "): moto and "
                    + "LocalStack on this machine answer plain http://, as " + endpoint.replaceFirst("^https", "http");
        }
        else if (Causes.first(e, ConnectException.class).isPresent()) {
            why = "the connection was refused (" + e.getMessage() + ")" + (proxy != null
                    ? ": the SDK connects through the proxy in HTTP_PROXY (" + proxy + "); for an endpoint on this "
                            + "machine set NO_PROXY=127.0.0.1,localhost, or unset HTTP_PROXY"
                    : ": is moto or LocalStack running, on that port?");
        }
        else if (e instanceof ApiCallTimeoutException) {
            why = "no answer within " + CALL_TIMEOUT.toSeconds() + " s" + (proxy != null
                    ? " (through the proxy in HTTP_PROXY, " + proxy + ")" : "");
        }
        else {
            why = e.getMessage();
        }
        return new Unreachable(at, why);
    }

    /**
     * The proxy in HTTP_PROXY, unless NO_PROXY exempts {@code host} from it as the SDK reads it (lower-cased, split at
     * commas, {@code *} for any characters, the whole host matched): with {@code NO_PROXY=127.0.0.1,localhost}, the
     * advice this check gives, the SDK connects to the endpoint itself, and a refusal is the endpoint's, not the
     * proxy's.
     *
     * @param host the endpoint's host, or null for AWS itself (then NO_PROXY is not looked at)
     */
    private String proxyFor(String host) {
        String proxy = variable("HTTP_PROXY");
        String noProxy = variable("NO_PROXY");
        if (proxy == null || host == null || noProxy == null) {
            return proxy;
        }
        for (String exempt : noProxy.toLowerCase(Locale.ROOT).split("[,|]")) {
            try {
                if (!exempt.isEmpty() && host.toLowerCase(Locale.ROOT).matches(exempt.replace("*", ".*?"))) {
                    return null;
                }
            }
            catch (PatternSyntaxException e) {
                // not an entry the SDK could match either
            }
        }
        return proxy;
    }

    /** An environment variable, upper-case or else lower-case (http_proxy), as the SDK reads it; null when blank. */
    private String variable(String name) {
        String value = environment.apply(name);
        if (value == null || value.isBlank()) {
            value = environment.apply(name.toLowerCase(Locale.ROOT));
        }
        return value == null || value.isBlank() ? null : value;
    }

    /** "processed.localhost: Name or service not known" (Linux), "processed.localhost" (macOS). */
    private static String hostOf(UnknownHostException e) {
        String message = String.valueOf(e.getMessage());
        int colon = message.indexOf(':');
        return colon < 0 ? message : message.substring(0, colon);
    }

    /** An endpoint that cannot be reached: the one check that failed says so, and the others are not asked. */
    /**
     * Why a host name was not found. The bucket in the host is the emulator's usual mistake (virtual-hosted style on
     * a name such as localhost); on AWS itself every bucket is asked that way, so there it says nothing.
     */
    static String unknownHost(String host, String bucket, String endpoint) {
        String why = "the host name '" + host + "' is not known";
        if (endpoint == null) {
            return why + ": no network, or no DNS?";
        }
        return why + (bucket != null && host.startsWith(bucket + ".")
                ? ": S3 puts the bucket in the host name unless SPRING_CLOUD_AWS_S3_PATH_STYLE_ACCESS_ENABLED=true"
                        + ", which moto and LocalStack need on a host name such as localhost"
                : ": check the host in the endpoint");
    }

    private static final class Unreachable extends RuntimeException {

        /** The service and where it was asked: {@code S3 at http://127.0.0.1:5000}. */
        private final String serviceAt;

        Unreachable(String serviceAt, String why) {
            super("asking " + serviceAt + " failed: " + why, null, false, false);
            this.serviceAt = serviceAt;
        }
    }

    /**
     * The region too, for an emulator as for AWS: moto and LocalStack keep each region's tables and topics apart, so
     * resources made with the CLI's AWS_DEFAULT_REGION do not exist in another region the app was given.
     */
    private static String where(AwsServiceClientConfiguration client) {
        return client.endpointOverride()
            .map(endpoint -> "at " + endpoint + " in region " + client.region())
            .orElseGet(() -> "in " + client.region());
    }

    /** Why a topic whose ARN names another region than the app's is not found there. */
    private static String otherRegion(String topicArn, AwsServiceClientConfiguration client) {
        String[] parts = topicArn.split(":", 6);
        if (parts.length < 6 || client.region() == null || parts[3].equals(client.region().id())) {
            return "";
        }
        return " (the ARN names region " + parts[3] + ", but the app uses " + client.region()
                + ": set SPRING_CLOUD_AWS_REGION_STATIC or AWS_REGION to the region of the topic, table and buckets)";
    }

    private static boolean isStringKey(List<KeySchemaElement> key, List<AttributeDefinition> attributes,
            String name) {
        return key.size() == 1 && key.get(0).attributeName().equals(name) && key.get(0).keyType() == KeyType.HASH
                && attributes.stream()
                    .anyMatch(attribute -> attribute.attributeName().equals(name)
                            && attribute.attributeType() == ScalarAttributeType.S);
    }

    private static boolean hasRecentKey(List<KeySchemaElement> key) {
        return key.size() == 2 && key.stream()
            .anyMatch(element -> element.attributeName().equals(DynamoDbMetadataRepository.LISTING)
                    && element.keyType() == KeyType.HASH)
                && key.stream()
                    .anyMatch(element -> element.attributeName().equals(DynamoDbMetadataRepository.LISTED_AT)
                            && element.keyType() == KeyType.RANGE);
    }

    private static String keyText(List<KeySchemaElement> key) {
        return key.stream()
            .map(element -> element.attributeName() + " " + element.keyTypeAsString())
            .toList()
            .toString();
    }
}
