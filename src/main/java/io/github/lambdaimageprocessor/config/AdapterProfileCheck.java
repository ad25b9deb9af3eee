package io.github.lambdaimageprocessor.config;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Refuses to start when the active profiles include neither {@code local} nor {@code aws}
 * ({@code SPRING_PROFILES_ACTIVE=lcoal}, {@code aws-prod}, or only profiles of one's own), before any bean is made:
 * then no adapter is wired, and what failed first used to be reported instead (a missing AWS region, since without
 * {@code local} the AWS clients are built; or a missing bean). Refuses both at once too: each wires its own store,
 * records and notifier, and Spring reported the clash of bean names with the advice to allow overriding them, which
 * mixes the two adapters (the local store beside AWS-only beans) and fails on the next bean. Registered in
 * {@code META-INF/spring.factories}.
 */
class AdapterProfileCheck implements EnvironmentPostProcessor, Ordered {

    static final List<String> ADAPTER_PROFILES = List.of("local", "aws");

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        List<String> active = Arrays.asList(environment.getActiveProfiles());
        // no active profile means the default one, local (application.properties)
        if (!active.isEmpty() && active.stream().noneMatch(ADAPTER_PROFILES::contains)) {
            String own = String.join(",", active);
            throw new SettingException("The active profiles " + active + " include neither 'local' (folders, "
                    + "records as files, the log as notifier) nor 'aws' (S3, DynamoDB, SNS), so nothing would store "
                    + "uploads, records or notifications.",
                    nearest(active).map(profile -> "Did you mean SPRING_PROFILES_ACTIVE=" + profile + "? ").orElse("")
                            + "Add one of them to your profiles: SPRING_PROFILES_ACTIVE=local," + own
                            + " to run on this machine, or SPRING_PROFILES_ACTIVE=aws," + own + " for AWS.");
        }
        if (active.containsAll(ADAPTER_PROFILES)) {
            throw new SettingException("The active profiles " + active + " include both 'local' and 'aws': each stores "
                    + "uploads, records and notifications its own way ('local' in folders and files, 'aws' in S3, "
                    + "DynamoDB and SNS), and one instance uses one of them.",
                    "Keep one of them in SPRING_PROFILES_ACTIVE (spring.profiles.active): local to run on this "
                            + "machine, aws for AWS.");
        }
    }

    /** The adapter profile nearest one of the active ones, when one is a likely typo of it. */
    static Optional<String> nearest(List<String> active) {
        return ADAPTER_PROFILES.stream()
            .min(Comparator.comparingInt(profile -> closestDistance(active, profile)))
            .filter(profile -> closestDistance(active, profile) <= 2);
    }

    private static int closestDistance(List<String> active, String profile) {
        return active.stream()
            .mapToInt(name -> EditDistance.between(name.toLowerCase(Locale.ROOT), profile))
            .min()
            .orElse(Integer.MAX_VALUE);
    }
}
