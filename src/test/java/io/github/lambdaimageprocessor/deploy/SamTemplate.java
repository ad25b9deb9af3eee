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
        return load(PATH);
    }

    public static SamTemplate load(Path path) {
        LoaderOptions options = new LoaderOptions();
        // CloudFormation refuses duplicate keys; YAML libraries silently keep the last one.
        options.setAllowDuplicateKeys(false);
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            Map<String, Object> root = new Yaml(new IntrinsicFunctionConstructor(options)).load(reader);
            return new SamTemplate(root);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The template as CloudFormation deploys it with these parameter values (the others at their defaults):
     * conditions evaluated, resources and outputs whose condition is false left out, every {@code Fn::If} replaced by
     * the branch taken, {@code AWS::NoValue} removed. Other intrinsic functions stay as they are.
     *
     * @throws IllegalArgumentException for a parameter the template does not declare
     */
    public SamTemplate rendered(Map<String, String> parameterValues) {
        Map<String, String> values = parameterValues(parameterValues);
        Map<String, Boolean> conditions = new LinkedHashMap<>();
        Map<String, Object> declared = root.containsKey("Conditions") ? conditions() : Map.of();
        declared.keySet().forEach(name -> conditions.put(name, evaluateCondition(name, declared, values)));
        Map<String, Object> rendered = new LinkedHashMap<>();
        root.forEach((section, content) -> {
            Object value = render(content, conditions);
            if ((section.equals("Resources") || section.equals("Outputs")) && value instanceof Map<?, ?> entries) {
                Map<String, Object> kept = new LinkedHashMap<>();
                asMap(entries).forEach((id, entry) -> {
                    Object condition = entry instanceof Map<?, ?> e ? e.get("Condition") : null;
                    if (condition == null || conditions.get((String) condition)) {
                        kept.put(id, entry);
                    }
                });
                value = kept;
            }
            rendered.put(section, value);
        });
        return new SamTemplate(rendered);
    }

    /**
     * The {@code AssertDescription} of every rule assertion these parameter values break, as CloudFormation would
     * refuse them before changing anything; empty when the values pass.
     */
    public List<String> brokenRules(Map<String, String> parameterValues) {
        Map<String, String> values = parameterValues(parameterValues);
        List<String> broken = new ArrayList<>();
        Map<String, Object> rules = root.containsKey("Rules") ? map(root, "Rules") : Map.of();
        rules.values().forEach(rule -> {
            Map<String, Object> r = asMap(rule);
            if (r.get("RuleCondition") == null || evaluate(r.get("RuleCondition"), Map.of(), values)) {
                asList(r.get("Assertions")).stream().map(SamTemplate::asMap).forEach(assertion -> {
                    if (!evaluate(assertion.get("Assert"), Map.of(), values)) {
                        broken.add((String) assertion.get("AssertDescription"));
                    }
                });
            }
        });
        return broken;
    }

    private Map<String, String> parameterValues(Map<String, String> overrides) {
        Map<String, String> values = new LinkedHashMap<>();
        parameters().forEach((name, parameter) -> {
            Object fallback = asMap(parameter).get("Default");
            if (fallback != null) {
                values.put(name, String.valueOf(fallback));
            }
        });
        overrides.keySet().forEach(name -> {
            if (!values.containsKey(name) && !parameters().containsKey(name)) {
                throw new IllegalArgumentException("template.yaml has no parameter " + name);
            }
        });
        values.putAll(overrides);
        return values;
    }

    private static boolean evaluateCondition(String name, Map<String, Object> declared, Map<String, String> values) {
        if (!declared.containsKey(name)) {
            throw new IllegalStateException("no condition " + name);
        }
        return evaluate(declared.get(name), declared, values);
    }

    /** Fn::Equals, Fn::Not, Fn::And, Fn::Or, Fn::Contains and Condition, over parameter references and literals. */
    private static boolean evaluate(Object expression, Map<String, Object> declared, Map<String, String> values) {
        Map<String, Object> function = asMap(expression);
        if (function.containsKey("Condition")) {
            return evaluateCondition((String) function.get("Condition"), declared, values);
        }
        String name = function.keySet().iterator().next();
        List<Object> arguments = asList(function.get(name));
        return switch (name) {
            case "Fn::Equals" -> scalar(arguments.get(0), values).equals(scalar(arguments.get(1), values));
            case "Fn::Not" -> !evaluate(arguments.getFirst(), declared, values);
            case "Fn::And" -> arguments.stream().allMatch(argument -> evaluate(argument, declared, values));
            case "Fn::Or" -> arguments.stream().anyMatch(argument -> evaluate(argument, declared, values));
            // a rule function: whether the list holds the value
            case "Fn::Contains" -> asList(arguments.get(0)).stream()
                .map(item -> scalar(item, values))
                .anyMatch(scalar(arguments.get(1), values)::equals);
            default -> throw new IllegalStateException("cannot evaluate " + name + " in a condition");
        };
    }

    private static String scalar(Object value, Map<String, String> values) {
        if (value instanceof Map<?, ?> ref && ref.containsKey("Ref")) {
            String name = (String) ref.get("Ref");
            if (!values.containsKey(name)) {
                throw new IllegalStateException("no value for " + name);
            }
            return values.get(name);
        }
        return String.valueOf(value);
    }

    private static final Object NO_VALUE = new Object();

    private static Object render(Object node, Map<String, Boolean> conditions) {
        if (node instanceof Map<?, ?> map) {
            if (map.size() == 1 && map.containsKey("Fn::If")) {
                List<Object> branches = asList(map.get("Fn::If"));
                Boolean holds = conditions.get((String) branches.get(0));
                if (holds == null) {
                    throw new IllegalStateException("Fn::If on an unknown condition " + branches.get(0));
                }
                return render(branches.get(holds ? 1 : 2), conditions);
            }
            if (map.size() == 1 && "AWS::NoValue".equals(map.get("Ref"))) {
                return NO_VALUE;
            }
            Map<String, Object> rendered = new LinkedHashMap<>();
            asMap(map).forEach((key, value) -> {
                Object r = render(value, conditions);
                if (r != NO_VALUE) {
                    rendered.put(key, r);
                }
            });
            return rendered;
        }
        if (node instanceof List<?> list) {
            List<Object> rendered = new ArrayList<>();
            for (Object item : list) {
                Object r = render(item, conditions);
                if (r != NO_VALUE) {
                    rendered.add(r);
                }
            }
            return rendered;
        }
        return node;
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

    public Map<String, Object> mappings() {
        return map(root, "Mappings");
    }

    /**
     * Whether CloudFormation takes this value for the parameter, as it checks it before changing anything: its
     * {@code AllowedValues}, {@code AllowedPattern}, {@code MinValue} and {@code MaxValue}, and a number for a
     * {@code Number}.
     *
     * @throws IllegalArgumentException for a parameter the template does not declare
     */
    public boolean accepts(String parameter, String value) {
        if (!parameters().containsKey(parameter)) {
            throw new IllegalArgumentException("template.yaml has no parameter " + parameter);
        }
        Map<String, Object> declared = map(parameters(), parameter);
        if (declared.containsKey("AllowedValues")
                && asList(declared.get("AllowedValues")).stream().map(String::valueOf).noneMatch(value::equals)) {
            return false;
        }
        if (declared.containsKey("AllowedPattern")
                && !value.matches((String) declared.get("AllowedPattern"))) {
            return false;
        }
        if ("Number".equals(declared.get("Type"))) {
            double number;
            try {
                number = Double.parseDouble(value);
            }
            catch (NumberFormatException e) {
                return false;
            }
            if (declared.containsKey("MinValue") && number < ((Number) declared.get("MinValue")).doubleValue()) {
                return false;
            }
            return !declared.containsKey("MaxValue") || number <= ((Number) declared.get("MaxValue")).doubleValue();
        }
        return true;
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

    /** The function S3 invokes, {@code processImage}. */
    public static final String IMAGE_PROCESSOR_FUNCTION = "ImageProcessorFunction";

    /** The browser-upload API's function, {@code httpApi}. */
    public static final String HTTP_API_FUNCTION = "HttpApiFunction";

    /** The logical id of the function S3 Batch Operations invokes ({@code backfillImages}). */
    public static final String BACKFILL_FUNCTION = "BackfillFunction";

    /** The {@code processImage} function ({@value #IMAGE_PROCESSOR_FUNCTION}). */
    public Map.Entry<String, Map<String, Object>> function() {
        return function(IMAGE_PROCESSOR_FUNCTION);
    }

    /** The {@code AWS::Serverless::Function} with this logical id. */
    public Map.Entry<String, Map<String, Object>> function(String logicalId) {
        Map<String, Map<String, Object>> functions = resourcesOfType("AWS::Serverless::Function");
        if (!functions.containsKey(logicalId)) {
            throw new IllegalStateException("no AWS::Serverless::Function " + logicalId + ", found " + functions.keySet());
        }
        return Map.entry(logicalId, functions.get(logicalId));
    }

    /** The {@code processImage} function's environment variables, with the (possibly intrinsic) values. */
    public Map<String, Object> environment() {
        return environment(IMAGE_PROCESSOR_FUNCTION);
    }

    /** A function's environment variables, with the (possibly intrinsic) values the template gives them. */
    public Map<String, Object> environment(String logicalId) {
        return map(map(function(logicalId).getValue(), "Environment"), "Variables");
    }

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
