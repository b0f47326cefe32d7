package io.kjps.processor.internal;

import java.util.Map;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.util.Elements;

/** Reads an element of an annotation as the compiler sees it, with the annotation's defaults filled in. */
final class AnnotationValues {
    private AnnotationValues() {
    }

    /**
     * @param elements the compiler's element utilities
     * @param am       the annotation on the element
     * @param name     the annotation element's name
     * @return its value (a boxed primitive, a {@code String}, a list of {@link AnnotationValue}, ...), or {@code null}
     *         when the annotation has no element of that name
     */
    static Object value(Elements elements, AnnotationMirror am, String name) {
        for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> v
                : elements.getElementValuesWithDefaults(am).entrySet()) {
            if (v.getKey().getSimpleName().contentEquals(name)) {
                return v.getValue().getValue();
            }
        }
        return null;
    }
}
