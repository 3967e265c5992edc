package com.volcstudio.generation;

import com.volcstudio.catalog.CatalogModel;
import com.volcstudio.catalog.ModelCatalog;
import com.volcstudio.catalog.ModelParameters;
import com.volcstudio.settings.CurrentSettings;
import com.volcstudio.settings.RuntimeSettings;
import com.volcstudio.system.Providers;
import com.volcstudio.web.FieldViolation;
import com.volcstudio.web.InvalidRequestException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
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
  private final CurrentSettings settings;

  GenerationValidator(ModelCatalog catalog, Providers providers, CurrentSettings settings) {
    this.catalog = catalog;
    this.providers = providers;
    this.settings = settings;
  }

  /**
   * The settings' default size and count fill in what the request leaves out, when the model can make
   * them; if it cannot (the defaults were chosen for another model), the model's own defaults apply, so
   * a default never turns a valid request into an error.
   */
  private static ModelParameters.Resolved resolveWithDefaults(CatalogModel model, ModelParameters.Requested asked,
      RuntimeSettings defaults, List<FieldViolation> violations) {
    boolean sizeDefault = asked.width() == null && asked.height() == null && defaults.defaultWidth() != null
        && defaults.defaultHeight() != null;
    boolean countDefault = asked.numImages() == null && defaults.defaultNumImages() != null;
    if (sizeDefault || countDefault) {
      List<FieldViolation> trial = new ArrayList<>();
      ModelParameters.Resolved resolved = ModelParameters.resolve(model, new ModelParameters.Requested(
          sizeDefault ? defaults.defaultWidth() : asked.width(), sizeDefault ? defaults.defaultHeight() : asked.height(),
          countDefault ? defaults.defaultNumImages() : asked.numImages(), asked.steps(), asked.scale(), asked.negativePrompt(),
          asked.options()), "", trial);
      if (trial.isEmpty()) {
        return resolved;
      }
    }
    return ModelParameters.resolve(model, asked, "", violations);
  }

  ValidatedGeneration validate(GenerateRequest request) {
    List<FieldViolation> violations = new ArrayList<>();
    RuntimeSettings defaults = settings.get();
    String modelId = request.model() != null ? request.model()
        : defaults.defaultModel() != null && catalog.find(defaults.defaultModel()).isPresent() ? defaults.defaultModel()
        : catalog.defaultModel().id();
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

    ModelParameters.Requested asked = new ModelParameters.Requested(request.width(), request.height(), request.numImages(),
        request.steps(), request.scale(), request.negativePrompt(), request.options());
    ModelParameters.Resolved params = resolveWithDefaults(model, asked, defaults, violations);

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

    if (!violations.isEmpty()) {
      throw new InvalidRequestException(violations);
    }
    return new ValidatedGeneration(model, prompt, params.negativePrompt(), params.width(), params.height(), params.upstream(),
        params.numImages(), seed, params.steps(), params.scale(), params.options());
  }
}
