package com.volcstudio.catalog;

import com.volcstudio.web.FieldViolation;
import com.volcstudio.web.Texts;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A model's rules for the parameters a request or a preset sets: size, count, steps, scale,
 * negative prompt and options. One place, so a preset is saved under exactly the rules a submit is
 * checked by.
 */
public final class ModelParameters {

  /** What was asked for; null means "the model's default". */
  public record Requested(
      @Nullable Integer width,
      @Nullable Integer height,
      @Nullable Integer numImages,
      @Nullable Number steps,
      @Nullable Number scale,
      @Nullable String negativePrompt,
      @Nullable Map<String, Boolean> options) {}

  /**
   * The values to use, defaults filled in; {@code upstream} is null when the size is unreachable.
   */
  public record Resolved(
      int width,
      int height,
      SizeRule.@Nullable UpstreamSize upstream,
      int numImages,
      @Nullable Integer steps,
      @Nullable Double scale,
      String negativePrompt,
      Map<String, Boolean> options) {}

  private ModelParameters() {}

  /**
   * Checks {@code requested} against {@code model}, adding a violation per problem to {@code
   * violations} with its field name prefixed by {@code prefix} (e.g. {@code params.}).
   */
  public static Resolved resolve(
      CatalogModel model, Requested requested, String prefix, List<FieldViolation> violations) {
    String modelId = model.id();
    String negativePrompt =
        requested.negativePrompt() == null ? "" : requested.negativePrompt().strip();
    if (!negativePrompt.isEmpty() && !model.negativePrompt()) {
      violations.add(
          new FieldViolation(
              prefix + "negative_prompt",
              "model '" + modelId + "' does not support a negative prompt"));
    }
    if (!Texts.isWellFormed(negativePrompt)) {
      violations.add(new FieldViolation(prefix + "negative_prompt", Texts.MALFORMED));
    }

    SizeRule size = model.size();
    int width = requested.width() == null ? size.defaultWidth() : requested.width();
    int height = requested.height() == null ? size.defaultHeight() : requested.height();
    boolean sidesInRange =
        checkSide(prefix + "width", width, size, violations)
            & checkSide(prefix + "height", height, size, violations);
    SizeRule.UpstreamSize upstream = size.resolve(width, height).orElse(null);
    if (upstream == null && sidesInRange) {
      violations.add(
          new FieldViolation(
              prefix + "width",
              width
                  + "×"
                  + height
                  + " cannot be produced by model '"
                  + modelId
                  + "'; sides must be "
                  + size.describe()));
    }

    int numImages = requested.numImages() == null ? 1 : requested.numImages();
    if (numImages < 1 || numImages > model.maxImages()) {
      violations.add(
          new FieldViolation(prefix + "num_images", "must be between 1 and " + model.maxImages()));
    }

    Number steps =
        checkRange(
            prefix + "steps", requested.steps(), model.params().steps(), modelId, violations);
    Number scale =
        checkRange(
            prefix + "scale", requested.scale(), model.params().scale(), modelId, violations);

    Map<String, Boolean> options = new TreeMap<>();
    model.options().forEach(option -> options.put(option.name(), option.defaultValue()));
    if (requested.options() != null) {
      requested
          .options()
          .forEach(
              (name, value) -> {
                if (!options.containsKey(name)) {
                  violations.add(
                      new FieldViolation(
                          prefix + "options." + name,
                          "model '"
                              + modelId
                              + "' has no option '"
                              + name
                              + "'"
                              + (options.isEmpty()
                                  ? ""
                                  : "; it has: " + String.join(", ", options.keySet()))));
                } else if (value == null) {
                  violations.add(
                      new FieldViolation(prefix + "options." + name, "must be true or false"));
                } else {
                  options.put(name, value);
                }
              });
    }
    return new Resolved(
        width,
        height,
        upstream,
        numImages,
        steps == null ? null : steps.intValue(),
        scale == null ? null : scale.doubleValue(),
        negativePrompt,
        Map.copyOf(options));
  }

  /**
   * @return whether the side is within the model's output range
   */
  private static boolean checkSide(
      String field, int side, SizeRule size, List<FieldViolation> violations) {
    if (side < size.min() || side > size.max()) {
      violations.add(
          new FieldViolation(field, "must be between " + size.min() + " and " + size.max()));
      return false;
    }
    return true;
  }

  /**
   * The value to send, the model's default when none was given, or null when the model has no such
   * parameter.
   */
  private static @Nullable Number checkRange(
      String field,
      @Nullable Number value,
      @Nullable ParamRange range,
      String modelId,
      List<FieldViolation> violations) {
    if (range == null) {
      if (value != null) {
        violations.add(
            new FieldViolation(
                field,
                "model '"
                    + modelId
                    + "' does not support "
                    + field.substring(field.lastIndexOf('.') + 1)));
      }
      return null;
    }
    double chosen = value == null ? range.defaultValue().doubleValue() : value.doubleValue();
    if (range.integer() && chosen != Math.rint(chosen)) {
      violations.add(new FieldViolation(field, "must be a whole number"));
    } else if (!range.contains(chosen)) {
      violations.add(
          new FieldViolation(
              field,
              "must be between "
                  + range.min().toPlainString()
                  + " and "
                  + range.max().toPlainString()));
    }
    return chosen;
  }
}
