package com.volcstudio.generation;

import com.volcstudio.catalog.CatalogModel;
import com.volcstudio.catalog.ModelCatalog;
import com.volcstudio.catalog.ModelParameters;
import com.volcstudio.system.Providers;
import com.volcstudio.web.FieldViolation;
import com.volcstudio.web.InvalidRequestException;
import com.volcstudio.web.Texts;
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
    } else if (!Texts.isWellFormed(prompt)) {
      violations.add(new FieldViolation("prompt", Texts.MALFORMED));
    } else if (prompt.codePointCount(0, prompt.length()) > model.promptMaxChars()) {
      violations.add(new FieldViolation("prompt", "is " + prompt.codePointCount(0, prompt.length())
          + " characters; model '" + modelId + "' accepts at most " + model.promptMaxChars()));
    }

    ModelParameters.Resolved params = ModelParameters.resolve(model, new ModelParameters.Requested(request.width(),
        request.height(), request.numImages(), request.steps(), request.scale(), request.negativePrompt(), request.options()),
        "", violations);

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
