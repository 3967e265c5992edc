package com.volcstudio.generation;

import com.volcstudio.catalog.CatalogModel;
import com.volcstudio.catalog.ModelCatalog;
import com.volcstudio.catalog.ParamRange;
import com.volcstudio.catalog.SizeRule;
import com.volcstudio.system.Providers;
import com.volcstudio.web.FieldViolation;
import com.volcstudio.web.InvalidRequestException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Checks a request against the chosen model and fills in its defaults. Every problem is reported
 * with its field, all at once; a parameter the model does not take is an error, never silently dropped.
 */
@Component
class GenerationValidator {

  static final long MAX_SEED = Integer.MAX_VALUE;
  static final long NO_SEED = -1;

  private final ModelCatalog catalog;
  private final Providers providers;

  GenerationValidator(ModelCatalog catalog, Providers providers) {
    this.catalog = catalog;
    this.providers = providers;
  }

  ValidatedGeneration validate(GenerateRequest request) {
    List<FieldViolation> violations = new ArrayList<>();
    String modelId = request.model() == null ? catalog.defaultModel().id() : request.model();
    CatalogModel model = catalog.find(modelId).orElse(null);
    if (model == null) {
      violations.add(new FieldViolation("model", "unknown model '" + modelId + "'; available: "
          + catalog.all().stream().map(CatalogModel::id).collect(Collectors.joining(", "))));
      throw new InvalidRequestException(violations);
    }
    providers.unavailableReason(model.provider())
        .ifPresent(reason -> violations.add(new FieldViolation("model", "model '" + modelId + "' is not available: " + reason)));

    String prompt = request.prompt() == null ? "" : request.prompt().strip();
    if (prompt.isEmpty()) {
      violations.add(new FieldViolation("prompt", "must not be blank"));
    } else if (prompt.codePointCount(0, prompt.length()) > model.promptMaxChars()) {
      violations.add(new FieldViolation("prompt", "is " + prompt.codePointCount(0, prompt.length())
          + " characters; model '" + modelId + "' accepts at most " + model.promptMaxChars()));
    }

    String negativePrompt = request.negativePrompt() == null ? "" : request.negativePrompt().strip();
    if (!negativePrompt.isEmpty() && !model.negativePrompt()) {
      violations.add(new FieldViolation("negative_prompt", "model '" + modelId + "' does not support a negative prompt"));
    }

    SizeRule size = model.size();
    int width = request.width() == null ? size.defaultWidth() : request.width();
    int height = request.height() == null ? size.defaultHeight() : request.height();
    checkSide("width", width, size, violations);
    checkSide("height", height, size, violations);
    SizeRule.UpstreamSize upstream = size.resolve(width, height).orElse(null);
    if (upstream == null && violations.stream().noneMatch(v -> v.field().equals("width") || v.field().equals("height"))) {
      violations.add(new FieldViolation("width", width + "×" + height + " cannot be produced by model '" + modelId
          + "'; sides must be " + size.describe()));
    }

    int numImages = request.numImages() == null ? 1 : request.numImages();
    if (numImages < 1 || numImages > model.maxImages()) {
      violations.add(new FieldViolation("num_images", "must be between 1 and " + model.maxImages()));
    }

    // The app picks a random seed itself, so every image can be reproduced; -1 marks a model without seeds.
    long seed = request.seed() == null || request.seed() == -1
        ? ThreadLocalRandom.current().nextLong(1, MAX_SEED) : request.seed();
    if (!model.params().seed()) {
      if (request.seed() != null && request.seed() != -1) {
        violations.add(new FieldViolation("seed", "model '" + modelId + "' does not support a seed"));
      }
      seed = NO_SEED;
    } else if (seed < 0 || seed > MAX_SEED) {
      violations.add(new FieldViolation("seed", "must be -1 (random) or between 0 and " + MAX_SEED));
    }

    Integer steps = (Integer) checkParam("steps", request.steps(), model.params().steps(), modelId, violations, true);
    Double scale = (Double) checkParam("scale", request.scale(), model.params().scale(), modelId, violations, false);

    Map<String, Boolean> options = new TreeMap<>();
    model.options().forEach(option -> options.put(option.name(), option.defaultValue()));
    if (request.options() != null) {
      request.options().forEach((name, value) -> {
        if (!options.containsKey(name)) {
          violations.add(new FieldViolation("options." + name, "model '" + modelId + "' has no option '" + name + "'"
              + (options.isEmpty() ? "" : "; it has: " + String.join(", ", options.keySet()))));
        } else if (value == null) {
          violations.add(new FieldViolation("options." + name, "must be true or false"));
        } else {
          options.put(name, value);
        }
      });
    }

    if (!violations.isEmpty()) {
      throw new InvalidRequestException(violations);
    }
    return new ValidatedGeneration(model, prompt, negativePrompt, width, height, upstream, numImages, seed, steps, scale,
        Map.copyOf(options));
  }

  private static void checkSide(String field, int side, SizeRule size, List<FieldViolation> violations) {
    if (side < size.min() || side > size.max()) {
      violations.add(new FieldViolation(field, "must be between " + size.min() + " and " + size.max()));
    }
  }

  /** The value to send, the model's default when none was given, or null when the model has no such parameter. */
  private static @Nullable Number checkParam(String field, @Nullable Number value, @Nullable ParamRange range,
      String modelId, List<FieldViolation> violations, boolean integer) {
    if (range == null) {
      if (value != null) {
        violations.add(new FieldViolation(field, "model '" + modelId + "' does not support " + field));
      }
      return null;
    }
    double chosen = value == null ? range.defaultValue().doubleValue() : value.doubleValue();
    if (!range.contains(chosen)) {
      violations.add(new FieldViolation(field, "must be between " + range.min().toPlainString() + " and "
          + range.max().toPlainString()));
    }
    if (integer) {
      return (int) chosen;
    }
    return chosen;
  }
}
