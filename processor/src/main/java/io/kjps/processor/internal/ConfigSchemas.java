package io.kjps.processor.internal;

import io.kjps.model.ConfigField;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.RecordComponentElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.ExecutableType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Maps a plugin's config type to Kong's schema: the record components of a record, or the instance fields of a
 * class, become the fields of a Kong {@code record}, their annotations (package {@code io.kjps.plugin.config})
 * become field attributes. Every problem is reported on the offending element; nothing is left out silently.
 *
 * <p>Rules beyond the plain type mapping (the server's config decoder relies on them):
 * <ul>
 *   <li>A config class (not a record) must be a non-abstract top-level or static nested class with a no-argument
 *       constructor. Its fields are its own and its superclasses' non-static, non-transient fields, the topmost
 *       superclass's first, each class's in declaration order; superclasses from the JDK other than
 *       {@code Object} are not allowed. The fields must not be {@code final} (the decoder assigns them).</li>
 *   <li>Config annotations on a static or transient field are an error (they would have no effect).</li>
 *   <li>Kong field names are unique within a record, and consist of letters, digits, {@code _} and {@code -}.</li>
 *   <li>A type may not contain itself (Kong schemas are finite); nesting is limited to {@value #MAX_DEPTH}
 *       levels.</li>
 * </ul>
 */
public final class ConfigSchemas {

    /** The deepest nesting of records, collections and maps accepted. */
    public static final int MAX_DEPTH = 32;

    private static final String CONFIG = "io.kjps.plugin.config.";
    private static final String REQUIRED = CONFIG + "Required";
    private static final String DEFAULT = CONFIG + "Default";
    private static final String NAME = CONFIG + "Name";
    private static final String DESCRIPTION = CONFIG + "Description";
    private static final String ONE_OF = CONFIG + "OneOf";
    private static final String BETWEEN = CONFIG + "Between";
    private static final String GT = CONFIG + "Gt";
    private static final String LEN_MIN = CONFIG + "LenMin";
    private static final String LEN_MAX = CONFIG + "LenMax";
    private static final String MATCH = CONFIG + "Match";
    private static final String STARTS_WITH = CONFIG + "StartsWith";
    private static final String UUID = CONFIG + "Uuid";
    private static final String REFERENCEABLE = CONFIG + "Referenceable";
    private static final String ENCRYPTED = CONFIG + "Encrypted";

    private static final Pattern FIELD_NAME = Pattern.compile("[A-Za-z0-9_-]+");

    /** What a config type may contain, for messages. */
    static final String SUPPORTED = ConfigField.SUPPORTED;

    /**
     * Which Kong types an attribute may be used on, and why. Between, one_of, match and uuid follow
     * {@code attribute_types} in Kong's {@code kong/db/schema/metaschema.lua}; gt, len_min/len_max, starts_with,
     * referenceable and encrypted are not restricted there but only work on these types (Kong's validators compare,
     * measure or prefix-match the value; references and encryption apply to strings).
     */
    private record Rule(String attribute, Set<String> types, String why) {
        boolean allows(KongType t) {
            if (attribute.equals("encrypted") && t instanceof KongType.Collection c) {
                return c.elements().kong().equals("string");
            }
            return types.contains(t.kong());
        }
    }

    /** In the order the annotations are checked (and errors reported). */
    private static final Map<String, Rule> RULES = new LinkedHashMap<>();

    static {
        rule(ONE_OF, "one_of", "Kong's metaschema allows one_of only on string, integer and number fields",
                "string", "integer", "number");
        rule(BETWEEN, "between", "Kong's metaschema allows between only on integer and number fields",
                "integer", "number");
        rule(GT, "gt", "Kong's gt validator compares numbers", "integer", "number");
        rule(LEN_MIN, "len_min", "Kong's len_min validator measures strings, arrays, sets and maps",
                "string", "array", "set", "map");
        rule(LEN_MAX, "len_max", "Kong's len_max validator measures strings, arrays, sets and maps",
                "string", "array", "set", "map");
        rule(MATCH, "match", "Kong's metaschema allows match only on string fields", "string");
        rule(STARTS_WITH, "starts_with", "Kong's starts_with validator takes strings", "string");
        rule(UUID, "uuid", "Kong's metaschema allows uuid only on string fields", "string");
        rule(REFERENCEABLE, "referenceable", "Kong resolves vault references in string fields only", "string");
        rule(ENCRYPTED, "encrypted", "Kong encrypts string fields and arrays or sets of strings only", "string");
    }

    private static void rule(String annotation, String attribute, String why, String... types) {
        RULES.put(annotation, new Rule(attribute, Set.of(types), why));
    }

    private final Elements elements;
    private final Types types;
    private final Problems problems;
    private int depth;

    /**
     * Creates a mapper that reports to {@code problems}.
     *
     * @param env the processing environment
     * @param problems where errors go
     */
    public ConfigSchemas(ProcessingEnvironment env, Problems problems) {
        this.elements = env.getElementUtils();
        this.types = env.getTypeUtils();
        this.problems = problems;
    }

    /**
     * Maps a plugin's config type.
     *
     * @param config the config type (a record or class)
     * @param anchor where errors about the type itself are reported (the plugin class)
     * @return the config record, or {@code null} after reporting errors
     * @throws Problems.Deferred when a type is not resolved yet
     */
    public KongType.Record config(DeclaredType config, Element anchor) {
        TypeElement te = (TypeElement) config.asElement();
        if (te.getKind() != ElementKind.RECORD && te.getKind() != ElementKind.CLASS || isJdk(te)) {
            problems.error(anchor, "the config type " + config + " of " + anchor + " must be a record or a class "
                    + "whose fields are the plugin's config fields (or Void for none)");
            return null;
        }
        return record(config, anchor, "config", new ArrayDeque<>());
    }

    private static boolean isJdk(TypeElement te) {
        Element e = te;
        while (!(e instanceof PackageElement)) {
            e = e.getEnclosingElement();
        }
        return ConfigField.isJdkPackage(((PackageElement) e).getQualifiedName().toString());
    }

    private KongType.Record record(DeclaredType dt, Element anchor, String path, Deque<String> stack) {
        TypeElement te = (TypeElement) dt.asElement();
        String key = dt.toString();
        if (stack.contains(key)) {
            List<String> cycle = new ArrayList<>();
            stack.descendingIterator().forEachRemaining(cycle::add);
            cycle = cycle.subList(cycle.indexOf(key), cycle.size());
            problems.error(anchor, "config field " + path + " has type " + key + ", which contains itself ("
                    + String.join(" -> ", cycle) + " -> " + key + "): a Kong schema cannot be recursive");
            return null;
        }
        if (depth >= MAX_DEPTH) {
            problems.error(anchor, "config field " + path + ": config types are nested more than " + MAX_DEPTH
                    + " levels deep (a recursive generic type?)");
            return null;
        }
        stack.push(key);
        depth++;
        try {
            List<Member> members = te.getKind() == ElementKind.RECORD ? recordMembers(dt, te)
                    : classMembers(dt, te, anchor, path);
            if (members == null) {
                return null;
            }
            List<KongType.Field> fields = new ArrayList<>();
            Map<String, Element> names = new HashMap<>();
            boolean ok = true;
            for (Member m : members) {
                KongType.Field f = field(m, path, stack);
                if (f == null) {
                    ok = false;
                    continue;
                }
                Element clash = names.putIfAbsent(f.name(), m.element());
                if (clash != null) {
                    problems.error(m.element(), "config field '" + m.element().getSimpleName() + "' of " + te
                            + " has the Kong name '" + f.name() + "', which field '" + clash.getSimpleName()
                            + "' already has; set a different @Name on one of them");
                    ok = false;
                    continue;
                }
                fields.add(f);
            }
            return ok ? new KongType.Record(List.copyOf(fields)) : null;
        } finally {
            stack.pop();
            depth--;
        }
    }

    /** A record component or field, with its type as seen from the record or class type in use. */
    private record Member(Element element, TypeMirror type, TypeElement owner) {
    }

    private List<Member> recordMembers(DeclaredType dt, TypeElement te) {
        List<Member> out = new ArrayList<>();
        // A component's annotations (all of ours may target fields) are also on the record's private field, and
        // javac locates diagnostics on that field, not on the component element.
        Map<String, VariableElement> fields = new HashMap<>();
        for (VariableElement f : ElementFilter.fieldsIn(te.getEnclosedElements())) {
            fields.put(f.getSimpleName().toString(), f);
        }
        for (RecordComponentElement rc : te.getRecordComponents()) {
            ExecutableType accessor = (ExecutableType) types.asMemberOf(dt, rc.getAccessor());
            Element where = fields.getOrDefault(rc.getSimpleName().toString(), null);
            out.add(new Member(where == null ? rc : where, accessor.getReturnType(), te));
        }
        return out;
    }

    private List<Member> classMembers(DeclaredType dt, TypeElement te, Element anchor, String path) {
        String what = "config class " + te.getQualifiedName() + " (at " + path + ")";
        boolean ok = true;
        if (te.getModifiers().contains(Modifier.ABSTRACT)) {
            problems.error(anchor, what + " must not be abstract: the server creates it");
            ok = false;
        }
        if (te.getNestingKind() == NestingKind.MEMBER && !te.getModifiers().contains(Modifier.STATIC)) {
            problems.error(anchor, what + " must be static: the server cannot create an inner class");
            ok = false;
        }
        if (te.getNestingKind() == NestingKind.LOCAL || te.getNestingKind() == NestingKind.ANONYMOUS) {
            problems.error(anchor, what + " must be a top-level or static nested class");
            ok = false;
        }
        boolean noArgs = ElementFilter.constructorsIn(te.getEnclosedElements()).stream()
                .anyMatch(c -> c.getParameters().isEmpty());
        if (!noArgs) {
            problems.error(anchor, what + " needs a constructor without parameters: the server creates it and "
                    + "then sets its fields (or make it a record)");
            ok = false;
        }
        List<DeclaredType> chain = new ArrayList<>();
        for (DeclaredType t = dt; t != null; t = superclass(t)) {
            TypeElement e = (TypeElement) t.asElement();
            if (e.getQualifiedName().contentEquals("java.lang.Object")) {
                break;
            }
            if (t != dt && isJdk(e)) {
                problems.error(anchor, what + " extends " + e.getQualifiedName()
                        + ": a config class may only extend your own classes");
                ok = false;
                break;
            }
            chain.add(0, t);
        }
        if (!ok) {
            return null;
        }
        List<Member> out = new ArrayList<>();
        for (DeclaredType t : chain) {
            TypeElement owner = (TypeElement) t.asElement();
            for (VariableElement f : ElementFilter.fieldsIn(owner.getEnclosedElements())) {
                Set<Modifier> mods = f.getModifiers();
                // the model's member rule; a field in source is never synthetic
                if (!ConfigField.isConfigField(mods.contains(Modifier.STATIC), mods.contains(Modifier.TRANSIENT),
                        false)) {
                    for (AnnotationMirror am : f.getAnnotationMirrors()) {
                        String n = annotationName(am);
                        if (n.startsWith(CONFIG)) {
                            problems.error(f, am, "@" + n.substring(CONFIG.length()) + " on "
                                    + (mods.contains(Modifier.STATIC) ? "static" : "transient") + " field '"
                                    + f.getSimpleName() + "' of " + owner.getQualifiedName()
                                    + " has no effect: static and transient fields are not config fields");
                        }
                    }
                    continue;
                }
                if (mods.contains(Modifier.FINAL)) {
                    problems.error(f, "config field '" + f.getSimpleName() + "' of " + owner.getQualifiedName()
                            + " must not be final: the server sets config class fields after creating the object "
                            + "(use a record for an immutable config)");
                    ok = false;
                    continue;
                }
                out.add(new Member(f, types.asMemberOf(dt, f), owner));
            }
        }
        return ok ? out : null;
    }

    private DeclaredType superclass(DeclaredType t) {
        for (TypeMirror s : types.directSupertypes(t)) {
            if (s.getKind() == TypeKind.ERROR) {
                throw new Problems.Deferred(s.toString());
            }
            if (s.getKind() == TypeKind.DECLARED
                    && ((DeclaredType) s).asElement().getKind() != ElementKind.INTERFACE) {
                return (DeclaredType) s;
            }
        }
        return null;
    }

    private static String annotationName(AnnotationMirror am) {
        return ((TypeElement) am.getAnnotationType().asElement()).getQualifiedName().toString();
    }

    private KongType.Field field(Member m, String parentPath, Deque<String> stack) {
        Element e = m.element();
        String javaName = e.getSimpleName().toString();
        AnnotationMirror nameAnnotation = annotation(e, NAME);
        String kongName = ConfigField.kongName(javaName,
                nameAnnotation == null ? null : (String) value(nameAnnotation, "value"));
        if (!FIELD_NAME.matcher(kongName).matches()) {
            problems.error(e, nameAnnotation, (nameAnnotation == null ? "the Kong name '" + kongName + "' derived from"
                    : "@Name(\"" + kongName + "\") on") + " config field '" + javaName + "' of "
                    + m.owner().getQualifiedName() + " is not a valid field name: use one or more ASCII letters, "
                    + "digits, '_' or '-'" + (nameAnnotation == null ? " (set one with @Name)" : ""));
            return null;
        }
        String path = parentPath + "." + kongName;
        String label = "config field '" + javaName + "' (" + path + ") of " + m.owner().getQualifiedName();
        KongType type = map(m.type(), m.type(), e, label, path, stack);
        if (type == null) {
            return null;
        }
        Map<String, Object> attributes = attributes(e, type, label);
        if (attributes == null) {
            return null;
        }
        if (type instanceof KongType.Record r && !attributes.containsKey("required")
                && !attributes.containsKey("default") && !r.fillableFromDefaults()) {
            // Kong would make this record required and could not fill it from defaults, so every config leaving it
            // out would fail; the Java field may be absent, which Kong spells required = false (the config then
            // carries null, and the field is null)
            Map<String, Object> optional = new LinkedHashMap<>();
            optional.put("required", false);
            optional.putAll(attributes);
            attributes = optional;
        }
        return new KongType.Field(kongName, e, type, attributes);
    }

    // ---- types

    private KongType map(TypeMirror t, TypeMirror whole, Element e, String label, String path,
            Deque<String> stack) {
        switch (t.getKind()) {
            case BOOLEAN:
                return new KongType.Scalar(ConfigField.kongType("boolean"), KongType.JavaKind.BOOLEAN, null);
            case BYTE:
                return new KongType.Scalar(ConfigField.kongType("byte"), KongType.JavaKind.BYTE, null);
            case SHORT:
                return new KongType.Scalar(ConfigField.kongType("short"), KongType.JavaKind.SHORT, null);
            case INT:
                return new KongType.Scalar(ConfigField.kongType("int"), KongType.JavaKind.INT, null);
            case LONG:
                return new KongType.Scalar(ConfigField.kongType("long"), KongType.JavaKind.LONG, null);
            case FLOAT:
                return new KongType.Scalar(ConfigField.kongType("float"), KongType.JavaKind.FLOAT, null);
            case DOUBLE:
                return new KongType.Scalar(ConfigField.kongType("double"), KongType.JavaKind.DOUBLE, null);
            case CHAR:
                problems.error(e, label + " " + ConfigField.noKongType("char"));
                return null;
            case ERROR:
                throw new Problems.Deferred(t.toString());
            case ARRAY: {
                TypeMirror component = ((ArrayType) t).getComponentType();
                String array = ConfigField.kongTypeOfArray(component.toString());
                if (array == null) {
                    return unsupported(t, whole, e, label, "binary data has no Kong type; use a String");
                }
                KongType elements = nested(component, whole, e, label, path, stack);
                return elements == null ? null : new KongType.Collection(array, elements);
            }
            case DECLARED:
                return declared((DeclaredType) t, whole, e, label, path, stack);
            default:
                return unsupported(t, whole, e, label, null);
        }
    }

    private KongType nested(TypeMirror t, TypeMirror whole, Element e, String label, String path,
            Deque<String> stack) {
        if (depth >= MAX_DEPTH) {
            problems.error(e, label + ": config types are nested more than " + MAX_DEPTH
                    + " levels deep (a recursive generic type?)");
            return null;
        }
        depth++;
        try {
            return map(t, whole, e, label, path, stack);
        } finally {
            depth--;
        }
    }

    private KongType declared(DeclaredType t, TypeMirror whole, Element e, String label, String path,
            Deque<String> stack) {
        TypeElement te = (TypeElement) t.asElement();
        String qn = te.getQualifiedName().toString();
        List<? extends TypeMirror> args = t.getTypeArguments();
        switch (qn) {
            case "java.lang.String":
                return new KongType.Scalar(ConfigField.kongType("java.lang.String"), KongType.JavaKind.STRING, null);
            case "java.lang.Boolean":
                return new KongType.Scalar(ConfigField.kongType("java.lang.Boolean"), KongType.JavaKind.BOOLEAN, null);
            case "java.lang.Byte":
                return new KongType.Scalar(ConfigField.kongType("java.lang.Byte"), KongType.JavaKind.BYTE, null);
            case "java.lang.Short":
                return new KongType.Scalar(ConfigField.kongType("java.lang.Short"), KongType.JavaKind.SHORT, null);
            case "java.lang.Integer":
                return new KongType.Scalar(ConfigField.kongType("java.lang.Integer"), KongType.JavaKind.INT, null);
            case "java.lang.Long":
                return new KongType.Scalar(ConfigField.kongType("java.lang.Long"), KongType.JavaKind.LONG, null);
            case "java.lang.Float":
                return new KongType.Scalar(ConfigField.kongType("java.lang.Float"), KongType.JavaKind.FLOAT, null);
            case "java.lang.Double":
                return new KongType.Scalar(ConfigField.kongType("java.lang.Double"), KongType.JavaKind.DOUBLE, null);
            case "java.util.List":
            case "java.util.Collection":
            case "java.util.Set": {
                if (args.isEmpty()) {
                    return unsupported(t, whole, e, label, "give the element type, e.g. " + te.getSimpleName()
                            + "<String>");
                }
                KongType elements = nested(args.get(0), whole, e, label, path, stack);
                return elements == null ? null : new KongType.Collection(ConfigField.kongType(qn), elements);
            }
            case "java.util.Map": {
                if (args.isEmpty()) {
                    return unsupported(t, whole, e, label, "give the types, e.g. Map<String, String>");
                }
                TypeMirror key = args.get(0);
                if (key.getKind() == TypeKind.ERROR) {
                    throw new Problems.Deferred(key.toString());
                }
                if (key.getKind() != TypeKind.DECLARED || !((TypeElement) ((DeclaredType) key).asElement())
                        .getQualifiedName().contentEquals("java.lang.String")) {
                    return unsupported(t, whole, e, label, "Kong map keys are strings: use Map<String, V>");
                }
                KongType values = nested(args.get(1), whole, e, label, path, stack);
                return values == null ? null : new KongType.MapType(values);
            }
            default:
                break;
        }
        if (ConfigField.isRefused(qn)) {
            problems.error(e, label + " " + ConfigField.noKongType(qn));
            return null;
        }
        if (te.getKind() == ElementKind.ENUM) {
            List<String> constants = new ArrayList<>();
            for (Element c : te.getEnclosedElements()) {
                if (c.getKind() == ElementKind.ENUM_CONSTANT) {
                    constants.add(c.getSimpleName().toString());
                }
            }
            if (constants.isEmpty()) {
                problems.error(e, label + ": enum " + qn + " has no constants, so no value is valid");
                return null;
            }
            return new KongType.Scalar(ConfigField.kongTypeOfEnum(), KongType.JavaKind.ENUM, List.copyOf(constants));
        }
        if ((te.getKind() == ElementKind.RECORD || te.getKind() == ElementKind.CLASS) && !isJdk(te)) {
            return record(t, e, path, stack);
        }
        return unsupported(t, whole, e, label, null);
    }

    private KongType unsupported(TypeMirror t, TypeMirror whole, Element e, String label, String hint) {
        String which = t == whole ? ", which" : ", whose part " + t;
        problems.error(e, label + " has type " + whole + which + " has no Kong schema type"
                + (hint == null ? "" : " (" + hint + ")") + "; " + SUPPORTED);
        return null;
    }

    // ---- attributes

    private static AnnotationMirror annotation(Element e, String name) {
        for (AnnotationMirror am : e.getAnnotationMirrors()) {
            if (annotationName(am).equals(name)) {
                return am;
            }
        }
        return null;
    }

    private Object value(AnnotationMirror am, String name) {
        return AnnotationValues.value(elements, am, name);
    }

    private Map<String, Object> attributes(Element e, KongType type, String label) {
        boolean ok = true;
        for (Map.Entry<String, Rule> r : RULES.entrySet()) {
            AnnotationMirror am = annotation(e, r.getKey());
            if (am != null && !r.getValue().allows(type)) {
                problems.error(e, am, "@" + r.getKey().substring(CONFIG.length()) + " is not allowed on " + label
                        + ", whose Kong type is " + type.kong() + ": " + r.getValue().why());
                ok = false;
            }
        }
        Map<String, Object> constraints = new LinkedHashMap<>();
        AnnotationMirror am;

        String description = null;
        if ((am = annotation(e, DESCRIPTION)) != null) {
            description = (String) value(am, "value");
            int bytes = description.getBytes(StandardCharsets.UTF_8).length;
            if (bytes < 10 || bytes > 500) {
                problems.error(e, am, "@Description of " + label + " is " + bytes + " bytes long (UTF-8): Kong "
                        + "requires 10 to 500");
                ok = false;
            }
        }
        if ((am = annotation(e, ONE_OF)) != null && RULES.get(ONE_OF).allows(type)) {
            List<Object> options = oneOf(e, am, type, label);
            if (options == null) {
                ok = false;
            } else {
                constraints.put("one_of", options);
            }
        }
        if ((am = annotation(e, BETWEEN)) != null && RULES.get(BETWEEN).allows(type)) {
            double min = (Double) value(am, "min");
            double max = (Double) value(am, "max");
            Object lo = bound(e, am, type, label, "min", min);
            Object hi = bound(e, am, type, label, "max", max);
            if (lo == null || hi == null) {
                ok = false;
            } else if (min > max) {
                problems.error(e, am, "@Between of " + label + ": min " + Json.formatDouble(min)
                        + " is greater than max " + Json.formatDouble(max));
                ok = false;
            } else {
                constraints.put("between", List.of(lo, hi));
            }
        }
        if ((am = annotation(e, GT)) != null && RULES.get(GT).allows(type)) {
            double gt = (Double) value(am, "value");
            if (!Double.isFinite(gt)) {
                problems.error(e, am, "@Gt of " + label + " must be a finite number");
                ok = false;
            } else {
                constraints.put("gt", gt);
            }
        }
        Integer lenMin = null;
        if ((am = annotation(e, LEN_MIN)) != null && RULES.get(LEN_MIN).allows(type)) {
            lenMin = (Integer) value(am, "value");
            if (lenMin < 0) {
                problems.error(e, am, "@LenMin of " + label + " must not be negative");
                ok = false;
            } else {
                constraints.put("len_min", lenMin);
            }
        }
        if ((am = annotation(e, LEN_MAX)) != null && RULES.get(LEN_MAX).allows(type)) {
            int lenMax = (Integer) value(am, "value");
            if (lenMax < 0 || (lenMin != null && lenMax < lenMin)) {
                problems.error(e, am, "@LenMax of " + label + " must not be negative or less than @LenMin");
                ok = false;
            } else {
                constraints.put("len_max", lenMax);
            }
        }
        if ((am = annotation(e, MATCH)) != null && RULES.get(MATCH).allows(type)) {
            String pattern = (String) value(am, "value");
            if (pattern.isEmpty()) {
                problems.error(e, am, "@Match of " + label + " needs a Lua pattern");
                ok = false;
            } else {
                constraints.put("match", pattern);
            }
        }
        if ((am = annotation(e, STARTS_WITH)) != null && RULES.get(STARTS_WITH).allows(type)) {
            constraints.put("starts_with", value(am, "value"));
        }
        if (annotation(e, UUID) != null) {
            constraints.put("uuid", true);
        }
        if (annotation(e, REFERENCEABLE) != null) {
            constraints.put("referenceable", true);
        }
        if (annotation(e, ENCRYPTED) != null) {
            constraints.put("encrypted", true);
        }

        Object defaultValue = null;
        if ((am = annotation(e, DEFAULT)) != null) {
            if (type.kong().equals("string") && ((String) value(am, "value")).isEmpty()
                    && !constraints.containsKey("len_min")) {
                // Kong gives a string field without len_min the value 1 and checks the default against it, so it
                // would refuse the schema: a field whose default is empty may be empty, which Kong spells len_min 0
                constraints.put("len_min", 0);
            }
            defaultValue = defaultValue(e, am, type, constraints, label);
            if (defaultValue == null) {
                ok = false;
            }
        }
        if (!ok) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        if (annotation(e, REQUIRED) != null) {
            out.put("required", true);
        }
        if (defaultValue != null) {
            out.put("default", defaultValue);
        }
        if (description != null) {
            out.put("description", description);
        }
        out.putAll(constraints);
        return out;
    }

    private List<Object> oneOf(Element e, AnnotationMirror am, KongType type, String label) {
        if (type instanceof KongType.Scalar s && s.enumConstants() != null) {
            problems.error(e, am, "@OneOf is not allowed on " + label + ": an enum field's one_of is the enum's "
                    + "constants");
            return null;
        }
        @SuppressWarnings("unchecked")
        List<? extends AnnotationValue> values = (List<? extends AnnotationValue>) value(am, "value");
        if (values.isEmpty()) {
            problems.error(e, am, "@OneOf of " + label + " needs at least one value");
            return null;
        }
        List<Object> out = new ArrayList<>();
        for (AnnotationValue v : values) {
            String text = (String) v.getValue();
            if (type.kong().equals("string")) {
                out.add(text);
                continue;
            }
            try {
                out.add(Defaults.check(Json.parse(text.trim()), type, Map.of(), ""));
            } catch (Json.JsonException | Defaults.Invalid ex) {
                problems.error(e, am, "@OneOf of " + label + ": \"" + text + "\" is not "
                        + (type.kong().equals("integer") ? "a whole number" : "a number") + " that fits the field's "
                        + "Java type");
                return null;
            }
        }
        return out;
    }

    private Object bound(Element e, AnnotationMirror am, KongType type, String label, String which, double v) {
        if (!Double.isFinite(v)) {
            problems.error(e, am, "@Between of " + label + ": " + which + " must be a finite number");
            return null;
        }
        if (type.kong().equals("integer")) {
            if (v != Math.rint(v) || Math.abs(v) >= 0x1p63) {
                problems.error(e, am, "@Between of " + label + ": " + which + " " + Json.formatDouble(v)
                        + " must be a whole number on an integer field");
                return null;
            }
            return (long) v;
        }
        return v;
    }

    private Object defaultValue(Element e, AnnotationMirror am, KongType type, Map<String, Object> constraints,
            String label) {
        String text = (String) value(am, "value");
        Object json;
        if (ConfigField.defaultIsText(type.kong())) {
            json = text;
        } else {
            try {
                json = Json.parse(text);
            } catch (Json.JsonException ex) {
                problems.error(e, am, "@Default(\"" + text + "\") of " + label + " is not valid JSON ("
                        + ex.getMessage() + "): the default of a field of Kong type " + type.kong()
                        + " is written as JSON, e.g. " + example(type));
                return null;
            }
        }
        try {
            return Defaults.check(json, type, constraints, "");
        } catch (Defaults.Invalid ex) {
            problems.error(e, am, "@Default(\"" + text + "\") of " + label + " does not fit the field: "
                    + ex.getMessage());
            return null;
        }
    }

    private static String example(KongType type) {
        return switch (type.kong()) {
            case "integer" -> "\"7\"";
            case "number" -> "\"0.5\"";
            case "boolean" -> "\"true\"";
            case "array", "set" -> "\"[]\"";
            case "map" -> "\"{}\"";
            default -> "\"{\\\"name\\\": 7}\"";
        };
    }
}
