package com.volcstudio.web;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverter;
import io.swagger.v3.core.converter.ModelConverterContext;
import io.swagger.v3.core.util.AnnotationsUtils;
import io.swagger.v3.oas.models.media.JsonSchema;
import io.swagger.v3.oas.models.media.Schema;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.NullUnmarked;
import org.jspecify.annotations.Nullable;

/**
 * Tells the document what the code already says about null. Our JSON is records in {@code
 * NullMarked} packages: a component is null only where it is {@code @Nullable}, and Jackson writes
 * every component, null or not. swagger-core sees neither (jspecify's {@code @Nullable} annotates
 * the type, not the field), so without this every field was a plain {@code string} or {@code
 * integer}, optional - and a client with strict null checks was typed wrongly.
 *
 * <p>So each record's schema gets {@code type: object}, its non-null components are {@code
 * required}, and its {@code @Nullable} ones accept null in OpenAPI 3.1's way: {@code type: [T,
 * "null"]} (with null among an enum's values), or {@code oneOf: [{$ref}, {type: "null"}]} for
 * another schema, which must not itself become nullable where it is used non-null.
 */
final class NullnessModelConverter implements ModelConverter {

  private static final String NULL = "null";
  private static final String REF_PREFIX = "#/components/schemas/";

  /** The mapper the document's ModelResolver names properties with, so names match. */
  private final ObjectMapper mapper;

  NullnessModelConverter(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  @Override
  public @Nullable Schema<?> resolve(
      AnnotatedType type, ModelConverterContext context, Iterator<ModelConverter> chain) {
    if (!chain.hasNext()) {
      return null;
    }
    Schema<?> resolved = chain.next().resolve(type, context, chain);
    if (resolved == null || type.getType() == null) {
      return resolved;
    }
    JavaType javaType = mapper.getTypeFactory().constructType(type.getType());
    Class<?> raw = javaType.getRawClass();
    if (!raw.isRecord() || !isNullMarked(raw)) {
      return resolved;
    }
    Schema<?> model =
        resolved.get$ref() != null && resolved.get$ref().startsWith(REF_PREFIX)
            ? context.getDefinedModels().get(resolved.get$ref().substring(REF_PREFIX.length()))
            : resolved;
    if (model != null && model.getProperties() != null) {
      declare(model, raw, javaType);
    }
    return resolved;
  }

  /** It writes OpenAPI 3.1's keywords (a type list, {@code type: "null"}). */
  @Override
  public boolean isOpenapi31() {
    return true;
  }

  private void declare(Schema<?> model, Class<?> record, JavaType javaType) {
    Map<String, String> jsonNames =
        mapper.getSerializationConfig().introspect(javaType).findProperties().stream()
            .collect(
                Collectors.toMap(
                    BeanPropertyDefinition::getInternalName,
                    BeanPropertyDefinition::getName,
                    (a, b) -> a));
    if (model.getTypes() == null || model.getTypes().isEmpty()) {
      model.setTypes(new LinkedHashSet<>(List.of("object")));
    }
    Set<String> required =
        new LinkedHashSet<>(model.getRequired() == null ? List.of() : model.getRequired());
    @SuppressWarnings({"rawtypes", "unchecked"})
    Map<String, Schema> properties = (Map) model.getProperties();
    for (RecordComponent component : record.getRecordComponents()) {
      String name = jsonNames.get(component.getName());
      Schema<?> property = name == null ? null : properties.get(name);
      if (property == null) {
        continue;
      }
      if (component.getAnnotatedType().isAnnotationPresent(Nullable.class)) {
        properties.put(name, orNull(property));
      } else {
        required.add(name);
      }
    }
    model.setRequired(required.isEmpty() ? null : new ArrayList<>(required));
  }

  /** The property's schema, widened to accept null; a copy, since schemas may be shared. */
  private static Schema<?> orNull(Schema<?> property) {
    // Already widened: a record can be resolved more than once.
    if (property.getOneOf() != null) {
      return property;
    }
    // The new schema keeps the property's name: swagger-core inlines a @JsonUnwrapped record's
    // properties into the outer one by name (TaskView's parameters), and a nameless one became a
    // null key that broke the whole document.
    if (property.get$ref() != null) {
      return new JsonSchema()
          .oneOf(
              List.of(new JsonSchema().$ref(property.get$ref()), new JsonSchema().typesItem(NULL)))
          .description(property.getDescription())
          .name(property.getName());
    }
    if (property.getTypes() == null) {
      return new JsonSchema()
          .oneOf(List.of(property, new JsonSchema().typesItem(NULL)))
          .name(property.getName());
    }
    if (property.getTypes().contains(NULL)) {
      return property;
    }
    @SuppressWarnings("unchecked")
    Schema<Object> copy = AnnotationsUtils.clone(property, true);
    copy.addType(NULL);
    if (copy.getEnum() != null && !copy.getEnum().contains(null)) {
      copy.addEnumItemObject(null);
    }
    return copy;
  }

  /** As JSpecify defines it: the nearest enclosing class, then the package, says. */
  private static boolean isNullMarked(Class<?> type) {
    for (Class<?> c = type; c != null; c = c.getEnclosingClass()) {
      Boolean marked = marking(c);
      if (marked != null) {
        return marked;
      }
    }
    Boolean marked = marking(type.getPackage());
    return marked != null && marked;
  }

  private static @Nullable Boolean marking(@Nullable AnnotatedElement element) {
    if (element == null) {
      return null;
    }
    if (element.isAnnotationPresent(NullUnmarked.class)) {
      return false;
    }
    return element.isAnnotationPresent(NullMarked.class) ? true : null;
  }
}
