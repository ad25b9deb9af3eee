package io.github.lambdaimageprocessor.deploy;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * {@code template.yaml} as plain maps and lists. CloudFormation's short-form tags ({@code !Sub}, {@code !Ref},
 * {@code !GetAtt}, ...) become their long form ({@code {"Fn::Sub": ...}}, {@code {"Ref": ...}},
 * {@code {"Fn::GetAtt": [resource, attribute]}}), so a check can compare them whichever form the template uses.
 */
public final class SamTemplate {

    public static final Path PATH = Path.of("template.yaml");

    private final Map<String, Object> root;

    private SamTemplate(Map<String, Object> root) {
        this.root = root;
    }

    public static SamTemplate load() {
        LoaderOptions options = new LoaderOptions();
        // CloudFormation refuses duplicate keys; YAML libraries silently keep the last one.
        options.setAllowDuplicateKeys(false);
        try (Reader reader = Files.newBufferedReader(PATH, StandardCharsets.UTF_8)) {
            Map<String, Object> root = new Yaml(new IntrinsicFunctionConstructor(options)).load(reader);
            return new SamTemplate(root);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Map<String, Object> resources() {
        return map(root, "Resources");
    }

    public Map<String, Object> outputs() {
        return map(root, "Outputs");
    }

    public Map<String, Object> conditions() {
        return map(root, "Conditions");
    }

    public Map<String, Object> parameters() {
        return map(root, "Parameters");
    }

    /** Logical id to properties of every resource of the given type, in template order. */
    public Map<String, Map<String, Object>> resourcesOfType(String type) {
        Map<String, Map<String, Object>> found = new LinkedHashMap<>();
        resources().forEach((id, resource) -> {
            Map<String, Object> r = asMap(resource);
            if (type.equals(r.get("Type"))) {
                found.put(id, r.get("Properties") == null ? Map.of() : asMap(r.get("Properties")));
            }
        });
        return found;
    }

    public Map<String, Object> resource(String logicalId) {
        return map(resources(), logicalId);
    }

    public Map<String, Object> properties(String logicalId) {
        return map(resource(logicalId), "Properties");
    }

    /** The logical id of the function S3 upload events invoke ({@code processImage}). */
    public static final String IMAGE_PROCESSOR_FUNCTION = "ImageProcessorFunction";

    /** The logical id of the function S3 Batch Operations invokes ({@code backfillImages}). */
    public static final String BACKFILL_FUNCTION = "BackfillFunction";

    /** The function S3 upload events invoke. */
    public Map.Entry<String, Map<String, Object>> function() {
        return function(IMAGE_PROCESSOR_FUNCTION);
    }

    /** The {@code AWS::Serverless::Function} with this logical id: its id and properties. */
    public Map.Entry<String, Map<String, Object>> function(String logicalId) {
        Map<String, Map<String, Object>> functions = resourcesOfType("AWS::Serverless::Function");
        if (!functions.containsKey(logicalId)) {
            throw new IllegalStateException("no AWS::Serverless::Function " + logicalId + " in " + functions.keySet());
        }
        return Map.entry(logicalId, functions.get(logicalId));
    }

    /** The environment variables of the function S3 upload events invoke. */
    public Map<String, Object> environment() {
        return environment(IMAGE_PROCESSOR_FUNCTION);
    }

    /** A function's environment variables, with the (possibly intrinsic) values the template gives them. */
    public Map<String, Object> environment(String logicalId) {
        return map(map(function(logicalId).getValue(), "Environment"), "Variables");
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> asMap(Object value) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalStateException("expected a mapping, got " + value);
        }
        return (Map<String, Object>) map;
    }

    public static List<Object> asList(Object value) {
        if (value instanceof List<?> list) {
            return new ArrayList<>(list);
        }
        // CloudFormation accepts a single value wherever a list of one is meant (Action, Resource, Events).
        return value == null ? List.of() : List.of(value);
    }

    public static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        if (value == null) {
            throw new IllegalStateException("missing " + key + " in " + parent.keySet());
        }
        return asMap(value);
    }

    public static Map<String, Object> ref(String logicalId) {
        return Map.of("Ref", logicalId);
    }

    public static Map<String, Object> getAtt(String logicalId, String attribute) {
        return Map.of("Fn::GetAtt", List.of(logicalId, attribute));
    }

    /**
     * Builds the long form of every short-form intrinsic function tag; all other YAML is read as SnakeYAML's safe
     * constructor reads it.
     */
    private static final class IntrinsicFunctionConstructor extends SafeConstructor {

        IntrinsicFunctionConstructor(LoaderOptions options) {
            super(options);
            this.yamlConstructors.put(null, new IntrinsicFunction());
        }

        private final class IntrinsicFunction extends AbstractConstruct {

            @Override
            public Object construct(Node node) {
                String tag = node.getTag().getValue();
                if (!tag.startsWith("!")) {
                    throw new IllegalStateException("unexpected YAML tag " + tag + " at " + node.getStartMark());
                }
                String name = tag.substring(1);
                Object value = switch (node) {
                    case ScalarNode scalar -> constructScalar(scalar);
                    case SequenceNode sequence -> constructSequence(sequence);
                    case MappingNode mapping -> constructMapping(mapping);
                    default -> throw new IllegalStateException("unexpected node " + node);
                };
                if (name.equals("Ref") || name.equals("Condition")) {
                    return Map.of(name, value);
                }
                if (name.equals("GetAtt") && value instanceof String dotted) {
                    int dot = dotted.indexOf('.');
                    return Map.of("Fn::GetAtt", List.of(dotted.substring(0, dot), dotted.substring(dot + 1)));
                }
                return Map.of("Fn::" + name, Objects.requireNonNull(value));
            }
        }
    }
}
