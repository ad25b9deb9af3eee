package io.github.lambdaimageprocessor.aws;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import io.github.lambdaimageprocessor.config.EditDistance;
import io.github.lambdaimageprocessor.config.SettingException;
import org.apache.commons.logging.Log;
import software.amazon.awssdk.regions.PartitionMetadata;
import software.amazon.awssdk.regions.Region;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.Profiles;
import org.springframework.core.env.StandardEnvironment;

/**
 * In profile aws, names a region that is not an AWS region ({@code SPRING_CLOUD_AWS_REGION_STATIC=us-east1},
 * {@code AWS_REGION=eu-west}) at start, with the ones meant. The SDK takes any name and makes host names of it, so
 * against AWS the start-up check ({@link AwsResourceCheck}) found no host and blamed the network or DNS, and against
 * moto DynamoDB and SNS answered HTTP 500; either way the app started and failed every upload. A name none of the
 * SDK's partitions allows is refused when a service without an endpoint uses it (AWS itself cannot have it), and only
 * warned about when each has an endpoint, which an emulator may serve under any name. A name a partition allows but
 * the SDK does not know ({@code us-esat-1}, or {@code eu-north-9}) is warned about: it may be a region newer than the
 * SDK. The region is read where Spring Cloud AWS and the SDK read it: the service's own
 * ({@code spring.cloud.aws.s3.region}), else {@code spring.cloud.aws.region.static}, else the {@code aws.region}
 * system property, else {@code AWS_REGION}; one from a profile file or the instance is not looked at. Not on Lambda,
 * which sets {@code AWS_REGION} itself. Registered in {@code META-INF/spring.factories}, after
 * {@link AwsEndpointCheck}.
 */
class AwsRegionCheck implements EnvironmentPostProcessor, Ordered {

    private static final String STATIC = "spring.cloud.aws.region.static";

    /** The SDK's regions. */
    private static final List<String> KNOWN = Region.regions().stream().map(Region::id).sorted().toList();

    /** The same without the pseudo-regions of global endpoints ({@code aws-global}), for suggestions. */
    private static final List<String> REGIONS = KNOWN.stream().filter(id -> !id.endsWith("-global")).toList();

    private final Log log;

    AwsRegionCheck(DeferredLogFactory logs) {
        this.log = logs.getLog(AwsRegionCheck.class);
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!environment.acceptsProfiles(Profiles.of("aws")) || System.getenv("AWS_LAMBDA_FUNCTION_NAME") != null) {
            return;
        }
        List<UnknownRegion> unknown = unknown(environment);
        List<UnknownRegion> refused = unknown.stream().filter(UnknownRegion::refused).toList();
        if (!refused.isEmpty()) {
            throw new SettingException(String.join("; ", refused.stream().map(UnknownRegion::refusal).toList()),
                    String.join(" ", refused.stream().map(UnknownRegion::action).toList()));
        }
        unknown.forEach(region -> log.warn(region.warning()));
    }

    /** The region settings whose value is not an AWS region, each with the services that use it. */
    static List<UnknownRegion> unknown(ConfigurableEnvironment environment) {
        Map<Setting, List<String>> services = new LinkedHashMap<>();
        for (String service : AwsEndpointCheck.SERVICES) {
            regionOf(environment, service).filter(setting -> !isKnown(setting.value()))
                .ifPresent(setting -> services.computeIfAbsent(setting, key -> new ArrayList<>()).add(service));
        }
        List<UnknownRegion> unknown = new ArrayList<>();
        services.forEach((setting, using) -> {
            List<String> toAws = using.stream()
                .filter(service -> AwsEndpointCheck.endpointOf(environment, service) == null)
                .toList();
            String endpoint = using.stream()
                .map(service -> AwsEndpointCheck.endpointOf(environment, service))
                .filter(Objects::nonNull)
                .findFirst()
                .orElse(null);
            unknown.add(new UnknownRegion(setting, toAws.stream().map(AwsEndpointCheck::label).toList(), endpoint));
        });
        return unknown;
    }

    /**
     * Whether the SDK knows the region. A {@code fips-} prefix or {@code -fips} suffix is the SDK's way of asking for
     * FIPS endpoints in the region, so it is not part of it.
     */
    static boolean isKnown(String value) {
        return KNOWN.contains(withoutFips(value));
    }

    /** Whether one of the SDK's partitions allows the name ({@code eu-north-9} in aws): a region newer than the SDK? */
    static boolean fitsAPartition(String value) {
        String id = withoutFips(value);
        // the partition whose pattern the name fits, or the aws partition when none does
        return !id.isBlank() && id.matches(PartitionMetadata.of(Region.of(id)).regionRegex());
    }

    private static String withoutFips(String value) {
        return value.startsWith("fips-") ? value.substring("fips-".length())
                : value.endsWith("-fips") ? value.substring(0, value.length() - "-fips".length()) : value;
    }

    /** The regions nearest a misspelt one (at most 2 edits), all of them on a tie: eu-west is 2 from three. */
    static List<String> nearest(String value) {
        String typed = value.strip().toLowerCase(Locale.ROOT);
        int best = REGIONS.stream().mapToInt(region -> EditDistance.between(typed, region)).min().orElse(3);
        return best > 2 ? List.of()
                : REGIONS.stream().filter(region -> EditDistance.between(typed, region) == best).toList();
    }

    /** Where the service's clients take their region from, as Spring Cloud AWS and then the SDK look for it. */
    private static Optional<Setting> regionOf(ConfigurableEnvironment environment, String service) {
        String own = "spring.cloud.aws." + service + ".region";
        for (String property : List.of(own, STATIC)) {
            String value = environment.getProperty(property);
            if (value != null && !value.isEmpty()) {
                String variable = property.toUpperCase(Locale.ROOT).replace('.', '_');
                return Optional.of(new Setting(variable + " (" + property + ")", variable, value));
            }
        }
        if (!environment.getProperty("spring.cloud.aws.region.profile.name", "").isEmpty()
                || environment.getProperty("spring.cloud.aws.region.instance-profile", Boolean.class, false)) {
            return Optional.empty();
        }
        // read from their own sources, as the SDK reads them: Spring would also take AWS_REGION for aws.region
        Object property = valueIn(environment, StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME,
                "aws.region");
        if (property != null) {
            return Optional.of(new Setting("the system property aws.region", "-Daws.region", property.toString()));
        }
        Object variable = valueIn(environment, StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                "AWS_REGION");
        return variable == null ? Optional.empty()
                : Optional.of(new Setting("AWS_REGION", "AWS_REGION", variable.toString()));
    }

    private static Object valueIn(ConfigurableEnvironment environment, String source, String name) {
        PropertySource<?> properties = environment.getPropertySources().get(source);
        Object value = properties == null ? null : properties.getProperty(name);
        return value == null || value.toString().isEmpty() ? null : value;
    }

    /**
     * @param name how the messages name it: {@code SPRING_CLOUD_AWS_REGION_STATIC (spring.cloud.aws.region.static)}
     * @param variable what to set it with: {@code SPRING_CLOUD_AWS_REGION_STATIC}, {@code -Daws.region}
     */
    record Setting(String name, String variable, String value) {
    }

    /**
     * @param toAws the services that use the region and have no endpoint, so go to AWS itself
     * @param endpoint an endpoint of the others, or null
     */
    record UnknownRegion(Setting setting, List<String> toAws, String endpoint) {

        /** Refused: AWS itself is asked, and no partition has a region of that name. */
        boolean refused() {
            return !toAws.isEmpty() && !fitsAPartition(setting.value());
        }

        private String problem(String what) {
            List<String> near = nearest(setting.value());
            return setting.name() + " is '" + setting.value() + "', which " + what + (near.isEmpty()
                    ? " (they are named like eu-west-1: `aws ec2 describe-regions` lists them)."
                    : ": did you mean " + listed(near, "or") + "?");
        }

        String refusal() {
            return problem("is not an AWS region") + " " + listed(toAws, "and")
                    + (toAws.size() == 1 ? " has" : " have") + " no endpoint, so AWS itself would be asked, which "
                    + "has no such region, and every upload would fail";
        }

        String action() {
            List<String> near = nearest(setting.value());
            return "Set " + setting.variable() + " to the region of the buckets, table and topic, e.g. "
                    + setting.variable() + "=" + (near.isEmpty() ? "eu-west-1" : near.getFirst()) + ".";
        }

        String warning() {
            if (!toAws.isEmpty()) {
                return problem("is not an AWS region this SDK knows") + " The app starts, in case it is a region "
                        + "newer than the SDK; if it is a typo, every upload will fail: set " + setting.variable()
                        + " to the region of the buckets, table and topic.";
            }
            return problem("is not an AWS region") + " The app starts, as the endpoint " + endpoint + " may take "
                    + "any name (moto answers DynamoDB and SNS in it with HTTP 500): set " + setting.variable()
                    + " to the region the buckets, table and topic were made in (the aws CLI's AWS_DEFAULT_REGION).";
        }

        /** "a", "a or b", "a, b or c". */
        private static String listed(List<String> items, String conjunction) {
            return items.size() == 1 ? items.getFirst()
                    : String.join(", ", items.subList(0, items.size() - 1)) + " " + conjunction + " " + items.getLast();
        }
    }
}
