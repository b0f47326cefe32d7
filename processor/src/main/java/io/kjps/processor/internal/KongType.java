package io.kjps.processor.internal;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.Element;

/**
 * A config type mapped to Kong's schema: what a Java type becomes in the plugin's config record.
 */
public sealed interface KongType {

    /**
     * Kong's name of the type: {@code string}, {@code boolean}, {@code integer}, {@code number}, {@code array},
     * {@code set}, {@code map} or {@code record}.
     *
     * @return the type name
     */
    String kong();

    /**
     * The type's schema without field attributes: {@code type} and the companions Kong's metaschema requires
     * ({@code elements}; {@code keys} and {@code values}; {@code fields}), plus {@code one_of} for an enum.
     *
     * @return a new ordered map
     */
    Map<String, Object> schema();

    /** The Java types a scalar can have, with the value range of the integral ones. */
    enum JavaKind {
        /** {@code String}. */
        STRING(null, null),
        /** An enum, as the name of a constant. */
        ENUM(null, null),
        /** {@code boolean} or {@code Boolean}. */
        BOOLEAN(null, null),
        /** {@code byte} or {@code Byte}. */
        BYTE((long) Byte.MIN_VALUE, (long) Byte.MAX_VALUE),
        /** {@code short} or {@code Short}. */
        SHORT((long) Short.MIN_VALUE, (long) Short.MAX_VALUE),
        /** {@code int} or {@code Integer}. */
        INT((long) Integer.MIN_VALUE, (long) Integer.MAX_VALUE),
        /** {@code long} or {@code Long}. */
        LONG(Long.MIN_VALUE, Long.MAX_VALUE),
        /** {@code float} or {@code Float}. */
        FLOAT(null, null),
        /** {@code double} or {@code Double}. */
        DOUBLE(null, null);

        private final BigDecimal min;
        private final BigDecimal max;

        JavaKind(Long min, Long max) {
            this.min = min == null ? null : BigDecimal.valueOf(min);
            this.max = max == null ? null : BigDecimal.valueOf(max);
        }

        /**
         * Whether an integral value fits this integral kind.
         *
         * @param value an integral value
         * @return true when it fits
         */
        public boolean fits(BigDecimal value) {
            return min == null || (value.compareTo(min) >= 0 && value.compareTo(max) <= 0);
        }
    }

    /**
     * A {@code string}, {@code boolean}, {@code integer} or {@code number}.
     *
     * @param kong the Kong type
     * @param javaKind the Java type
     * @param enumConstants the constant names of an enum, in declaration order, else {@code null}
     */
    record Scalar(String kong, JavaKind javaKind, List<String> enumConstants) implements KongType {
        @Override
        public Map<String, Object> schema() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", kong);
            if (enumConstants != null) {
                m.put("one_of", new ArrayList<Object>(enumConstants));
            }
            return m;
        }
    }

    /**
     * An {@code array} (Java {@code List}, {@code Collection}, arrays) or {@code set} (Java {@code Set}).
     *
     * @param kong {@code array} or {@code set}
     * @param elements the element type
     */
    record Collection(String kong, KongType elements) implements KongType {
        @Override
        public Map<String, Object> schema() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", kong);
            m.put("elements", elements.schema());
            return m;
        }
    }

    /**
     * A {@code map} with string keys (Java {@code Map<String, V>}).
     *
     * @param values the value type
     */
    record MapType(KongType values) implements KongType {
        @Override
        public String kong() {
            return "map";
        }

        @Override
        public Map<String, Object> schema() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", "map");
            Map<String, Object> keys = new LinkedHashMap<>();
            keys.put("type", "string");
            m.put("keys", keys);
            m.put("values", values.schema());
            return m;
        }
    }

    /**
     * A {@code record} (a Java record or class).
     *
     * @param fields the fields, in declaration order
     */
    record Record(List<Field> fields) implements KongType {
        @Override
        public String kong() {
            return "record";
        }

        @Override
        public Map<String, Object> schema() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", "record");
            List<Object> list = new ArrayList<>();
            for (Field f : fields) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put(f.name(), f.schema());
                list.add(entry);
            }
            m.put("fields", list);
            return m;
        }

        /**
         * Whether Kong can build this record, when a config leaves it out, from its fields' defaults alone. Kong makes
         * every record field required unless it says {@code required = false} ({@code make_records_required},
         * {@code kong/db/schema/entity.lua}) and fills a missing required record with its fields' defaults
         * ({@code process_auto_fields}); a required field without a default left in it fails the whole config
         * ("required field missing").
         *
         * @return {@code false} when some field, here or in a record Kong would build along, is required and has no
         *         default
         */
        public boolean fillableFromDefaults() {
            for (Field f : fields) {
                Map<String, Object> a = f.attributes();
                boolean required = Boolean.TRUE.equals(a.get("required"))
                        || (f.type() instanceof Record && !Boolean.FALSE.equals(a.get("required")));
                if (!required || a.containsKey("default")) {
                    continue;
                }
                if (!(f.type() instanceof Record r) || !r.fillableFromDefaults()) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * One field of a record.
     *
     * @param name the Kong field name
     * @param element the record component or field it comes from
     * @param type its type
     * @param attributes the attributes from its annotations, in emission order, with their JSON values
     */
    record Field(String name, Element element, KongType type, Map<String, Object> attributes) {

        /**
         * The field's schema: its type's schema followed by its attributes.
         *
         * @return a new ordered map
         */
        public Map<String, Object> schema() {
            Map<String, Object> m = type.schema();
            m.putAll(attributes);
            return m;
        }
    }
}
