package com.volcstudio.generation;

import com.volcstudio.catalog.CatalogModel;
import com.volcstudio.catalog.GenerationParams;
import com.volcstudio.catalog.Lifecycle;
import com.volcstudio.catalog.ModelCatalog;
import com.volcstudio.catalog.ModelOption;
import com.volcstudio.catalog.ModelParameters;
import com.volcstudio.catalog.Operations;
import com.volcstudio.catalog.ReferenceImageRule;
import com.volcstudio.connection.Providers;
import com.volcstudio.preset.PresetParams;
import com.volcstudio.preset.Style;
import com.volcstudio.preset.Styles;
import com.volcstudio.settings.CurrentSettings;
import com.volcstudio.settings.RuntimeSettings;
import com.volcstudio.upload.Upload;
import com.volcstudio.web.FieldViolation;
import com.volcstudio.web.InvalidRequestException;
import com.volcstudio.web.Texts;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Checks a request against the chosen model and fills in its defaults. Every problem is reported
 * with its field, all at once; a parameter the model does not take is an error, never silently
 * dropped.
 */
@Component
class GenerationValidator {

  static final long MAX_SEED = Integer.MAX_VALUE;
  static final long NO_SEED = -1;

  /** Ark's limit for a set: input images plus output images (PROTOCOL.md §6.3). */
  static final int MAX_SET_INPUTS_AND_OUTPUTS = 15;

  private final ModelCatalog catalog;
  private final Providers providers;
  private final CurrentSettings settings;
  private final Clock clock = Clock.systemUTC();

  GenerationValidator(ModelCatalog catalog, Providers providers, CurrentSettings settings) {
    this.catalog = catalog;
    this.providers = providers;
    this.settings = settings;
  }

  /**
   * The settings' default size and count fill in what the request leaves out, when the model can
   * make them; if it cannot (the defaults were chosen for another model), the model's own defaults
   * apply, so a default never turns a valid request into an error.
   */
  private static ModelParameters.Resolved resolveWithDefaults(
      CatalogModel model,
      ModelParameters.Requested asked,
      RuntimeSettings defaults,
      List<FieldViolation> violations) {
    boolean sizeDefault =
        asked.width() == null
            && asked.height() == null
            && defaults.defaultWidth() != null
            && defaults.defaultHeight() != null;
    boolean countDefault = asked.numImages() == null && defaults.defaultNumImages() != null;
    if (sizeDefault || countDefault) {
      List<FieldViolation> trial = new ArrayList<>();
      ModelParameters.Resolved resolved =
          ModelParameters.resolve(
              model,
              new ModelParameters.Requested(
                  sizeDefault ? defaults.defaultWidth() : asked.width(),
                  sizeDefault ? defaults.defaultHeight() : asked.height(),
                  countDefault ? defaults.defaultNumImages() : asked.numImages(),
                  asked.steps(),
                  asked.scale(),
                  asked.negativePrompt(),
                  asked.options()),
              "",
              trial);
      if (trial.isEmpty()) {
        return resolved;
      }
    }
    return ModelParameters.resolve(model, asked, "", violations);
  }

  ValidatedGeneration validate(GenerateRequest asked, GenerationInputs.Resolved inputs) {
    List<FieldViolation> violations = new ArrayList<>();
    RuntimeSettings defaults = settings.get();
    if (asked.presetId() != null && inputs.preset().isEmpty()) {
      violations.add(new FieldViolation("preset_id", "unknown preset '" + asked.presetId() + "'"));
    }
    GenerateRequest request =
        inputs.preset().map(preset -> withDefaults(asked, preset)).orElse(asked);
    String modelId =
        request.model() != null
            ? request.model()
            : defaults.defaultModel() != null && catalog.find(defaults.defaultModel()).isPresent()
                ? defaults.defaultModel()
                : catalog.defaultModel().id();
    CatalogModel model = catalog.find(modelId).orElse(null);
    if (model == null) {
      violations.add(
          new FieldViolation(
              "model",
              "unknown model '"
                  + modelId
                  + "'; available: "
                  + catalog.serving(Operations.GENERATE).stream()
                      .map(CatalogModel::id)
                      .collect(Collectors.joining(", "))));
      throw new InvalidRequestException(violations);
    }
    if (!model.serves(Operations.GENERATE)) {
      violations.add(
          new FieldViolation(
              "model",
              "'" + modelId + "' edits images; send it to POST /api/v1/edits with a source"));
      throw new InvalidRequestException(violations);
    }
    Lifecycle lifecycle = model.lifecycle();
    if (lifecycle != null && lifecycle.retired(clock.instant())) {
      // Refused here, not by the provider after a wait in the queue: the answer says what to use.
      violations.add(
          new FieldViolation(
              "model",
              "model '"
                  + modelId
                  + "' was retired by the provider on "
                  + lifecycle.retiresAt()
                  + (lifecycle.replacedBy() == null
                      ? ""
                      : "; use '" + lifecycle.replacedBy() + "' instead")));
      throw new InvalidRequestException(violations);
    }
    providers
        .unavailableReason(model.provider())
        .ifPresent(
            reason ->
                violations.add(
                    new FieldViolation(
                        "model", "model '" + modelId + "' is not available: " + reason)));

    String prompt = request.prompt() == null ? "" : request.prompt().strip();
    Style style = null;
    if (request.style() != null) {
      style = Styles.find(request.style()).orElse(null);
      if (style == null) {
        violations.add(
            new FieldViolation(
                "style",
                "unknown style '"
                    + request.style()
                    + "'; available: "
                    + Styles.all().stream().map(Style::id).collect(Collectors.joining(", "))));
      }
    }
    if (!prompt.isEmpty() && style != null) {
      // The style's phrase counts against the model's prompt limit: it is sent like the rest.
      prompt = style.applyTo(prompt);
    }
    if (prompt.isEmpty()) {
      violations.add(new FieldViolation("prompt", "must not be blank"));
    } else if (!Texts.isWellFormed(prompt)) {
      violations.add(new FieldViolation("prompt", Texts.MALFORMED));
    } else if (prompt.codePointCount(0, prompt.length()) > model.promptMaxChars()) {
      violations.add(
          new FieldViolation(
              "prompt",
              "is "
                  + prompt.codePointCount(0, prompt.length())
                  + " characters; model '"
                  + modelId
                  + "' accepts at most "
                  + model.promptMaxChars()));
    }

    ModelParameters.Requested requested =
        new ModelParameters.Requested(
            request.width(),
            request.height(),
            request.numImages(),
            request.steps(),
            request.scale(),
            request.negativePrompt(),
            request.options());
    ModelParameters.Resolved params = resolveWithDefaults(model, requested, defaults, violations);

    // The app picks a random seed itself, so every image can be reproduced; -1 marks a model
    // without seeds.
    long seed =
        request.seed() == null || request.seed() == -1
            ? ThreadLocalRandom.current().nextLong(1, MAX_SEED)
            : request.seed();
    if (!model.params().seed()) {
      if (request.seed() != null && request.seed() != -1) {
        violations.add(
            new FieldViolation("seed", "model '" + modelId + "' does not support a seed"));
      }
      seed = NO_SEED;
    } else if (seed < 0 || seed > MAX_SEED) {
      violations.add(
          new FieldViolation("seed", "must be -1 (random) or between 0 and " + MAX_SEED));
    }

    List<String> references =
        references(model, request.referenceImageIds(), inputs.uploads(), violations);

    optionRequirements(model, params.options(), references, inputs.uploads(), violations);

    boolean set = Boolean.TRUE.equals(request.sequential());
    if (set && !model.sequential()) {
      violations.add(
          new FieldViolation(
              "sequential",
              "model '"
                  + modelId
                  + "' does not make image sets; these do: "
                  + catalog.serving(Operations.GENERATE).stream()
                      .filter(CatalogModel::sequential)
                      .map(CatalogModel::id)
                      .collect(Collectors.joining(", "))));
    } else if (set && references.size() + params.numImages() > MAX_SET_INPUTS_AND_OUTPUTS) {
      violations.add(
          new FieldViolation(
              "num_images",
              "reference images plus the images of a set must not exceed "
                  + MAX_SET_INPUTS_AND_OUTPUTS));
    }

    if (!violations.isEmpty()) {
      throw new InvalidRequestException(violations);
    }
    return new ValidatedGeneration(
        model,
        params.upstream(),
        GenerationParams.generation(
            model.id(),
            prompt,
            params.negativePrompt(),
            params.width(),
            params.height(),
            params.numImages(),
            seed,
            params.steps(),
            params.scale(),
            params.options(),
            references,
            set));
  }

  /**
   * The reference uploads, checked against what the model takes: how many, that each exists, and
   * the service's own byte and aspect limits (docs/volcengine/PROTOCOL.md §3.3, §6.3), so a doomed
   * request is refused here rather than paid for and failed upstream.
   */
  /** What each switched-on option needs of the references ({@link ModelOption.Requires}). */
  private static void optionRequirements(
      CatalogModel model,
      Map<String, Boolean> options,
      List<String> references,
      Map<String, Upload> uploads,
      List<FieldViolation> violations) {
    for (ModelOption option : model.options()) {
      ModelOption.Requires requires = option.requires();
      if (requires == null || !Boolean.TRUE.equals(options.get(option.name()))) {
        continue;
      }
      boolean typesFit =
          references.stream()
              .map(uploads::get)
              .allMatch(u -> u != null && requires.referenceTypes().contains(u.mimeType()));
      if (references.size() != requires.references() || !typesFit) {
        violations.add(
            new FieldViolation(
                "reference_image_ids",
                "option '"
                    + option.name()
                    + "' needs exactly "
                    + requires.references()
                    + " reference image(s) of type "
                    + String.join(" or ", requires.referenceTypes())));
      }
    }
  }

  private static List<String> references(
      CatalogModel model,
      @Nullable List<String> ids,
      Map<String, Upload> found,
      List<FieldViolation> violations) {
    List<String> asked = ids == null ? List.of() : ids;
    ReferenceImageRule rule = model.referenceImages();
    if (rule == null) {
      if (!asked.isEmpty()) {
        violations.add(
            new FieldViolation(
                "reference_image_ids",
                "model '" + model.id() + "' does not take reference images"));
      }
      return List.of();
    }
    if (asked.size() < rule.min() || asked.size() > rule.max()) {
      violations.add(
          new FieldViolation(
              "reference_image_ids",
              "model '"
                  + model.id()
                  + "' takes "
                  + (rule.min() == rule.max()
                      ? "exactly " + rule.min()
                      : rule.min() + " to " + rule.max())
                  + " reference image(s); got "
                  + asked.size()));
      return List.of();
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < asked.size(); i++) {
      String field = "reference_image_ids[" + i + "]";
      String id = asked.get(i);
      Upload upload = id == null ? null : found.get(id);
      if (upload == null) {
        violations.add(
            new FieldViolation(
                field,
                "unknown upload '" + id + "'; upload the image first (POST /api/v1/uploads)"));
      } else if (!seen.add(id)) {
        violations.add(new FieldViolation(field, "upload '" + id + "' is listed twice"));
      } else if (upload.sizeBytes() > rule.maxBytes()) {
        violations.add(
            new FieldViolation(
                field,
                "is "
                    + upload.sizeBytes()
                    + " bytes; model '"
                    + model.id()
                    + "' accepts at most "
                    + rule.maxBytes()));
      } else if (rule.maxAspect() != null
          && (double) Math.max(upload.width(), upload.height())
                  / Math.min(upload.width(), upload.height())
              > rule.maxAspect()) {
        violations.add(
            new FieldViolation(
                field,
                "is "
                    + upload.width()
                    + "×"
                    + upload.height()
                    + "; model '"
                    + model.id()
                    + "' accepts a long side at most "
                    + rule.maxAspect()
                    + " times the short side"));
      }
    }
    return List.copyOf(asked);
  }

  /**
   * The request with a preset's parameters under it: what the request says wins, the preset fills
   * the gaps.
   */
  private static GenerateRequest withDefaults(GenerateRequest r, PresetParams p) {
    Map<String, Boolean> options = new TreeMap<>();
    if (p.options() != null) {
      options.putAll(p.options());
    }
    if (r.options() != null) {
      options.putAll(r.options());
    }
    return new GenerateRequest(
        r.prompt(),
        or(r.model(), p.model()),
        or(r.width(), p.width()),
        or(r.height(), p.height()),
        or(r.numImages(), p.numImages()),
        or(r.seed(), p.seed()),
        or(r.steps(), p.steps()),
        or(r.scale(), p.scale()),
        or(r.negativePrompt(), p.negativePrompt()),
        options.isEmpty() ? null : options,
        r.referenceImageIds(),
        r.presetId(),
        r.style(),
        r.sequential());
  }

  private static <T> @Nullable T or(@Nullable T value, @Nullable T fallback) {
    return value != null ? value : fallback;
  }
}
