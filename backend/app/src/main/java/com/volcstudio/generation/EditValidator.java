package com.volcstudio.generation;

import com.volcstudio.account.Scope;
import com.volcstudio.catalog.CatalogModel;
import com.volcstudio.catalog.EditRule;
import com.volcstudio.catalog.GenerationParams;
import com.volcstudio.catalog.Lifecycle;
import com.volcstudio.catalog.ModelCatalog;
import com.volcstudio.catalog.Operations;
import com.volcstudio.catalog.SizeRule.UpstreamSize;
import com.volcstudio.connection.Providers;
import com.volcstudio.image.ImageStore;
import com.volcstudio.upload.Upload;
import com.volcstudio.upload.Uploads;
import com.volcstudio.web.FieldViolation;
import com.volcstudio.web.InvalidRequestException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Checks an edit before anything is stored or sent: the operation, the source and its limits for
 * the model, the mask's size, the prompt and the extension. Every problem names its field. The
 * result is a task like a generation's, whose size is what the edit will make.
 */
@Component
class EditValidator {

  /** What is known of a source before it is read: its size in pixels and bytes. */
  private record Source(String field, int width, int height, long bytes) {}

  private final ModelCatalog catalog;
  private final Providers providers;
  private final ImageStore images;
  private final Uploads uploads;
  private final Clock clock = Clock.systemUTC();

  EditValidator(ModelCatalog catalog, Providers providers, ImageStore images, Uploads uploads) {
    this.catalog = catalog;
    this.providers = providers;
    this.images = images;
    this.uploads = uploads;
  }

  Mono<ValidatedGeneration> validate(EditRequest request) {
    List<FieldViolation> violations = new ArrayList<>();
    String operation = request.operation();
    if (operation == null || !Operations.EDITS.contains(operation)) {
      violations.add(
          new FieldViolation(
              "operation",
              (operation == null ? "is required" : "unknown operation '" + operation + "'")
                  + "; one of "
                  + String.join(", ", Operations.EDITS)));
    }
    boolean fromImage = request.sourceImageId() != null;
    if (fromImage == (request.sourceUploadId() != null)) {
      violations.add(
          new FieldViolation(
              "source_image_id", "give exactly one of source_image_id and source_upload_id"));
    }
    if (!violations.isEmpty()) {
      return Mono.error(new InvalidRequestException(violations));
    }
    // Another user's image or upload is unknown here, exactly like one that does not exist.
    return Scope.current()
        .flatMap(scope -> Mono.zip(source(request, scope), mask(request.maskUploadId(), scope)))
        .map(found -> checked(request, operation, found.getT1(), found.getT2()));
  }

  private ValidatedGeneration checked(
      EditRequest request, String operation, Source source, Optional<Upload> mask) {
    List<FieldViolation> violations = new ArrayList<>();
    CatalogModel model = model(request.model(), operation, source, violations);
    if (model == null) {
      throw new InvalidRequestException(violations);
    }
    EditRule rule = Objects.requireNonNull(model.edit());
    String prompt = request.prompt() == null ? "" : request.prompt().strip();
    boolean takesPrompt = rule.prompt() != null && !operation.equals(Operations.ERASE);
    if (!takesPrompt && !prompt.isEmpty()) {
      violations.add(
          new FieldViolation(
              "prompt", operation + " with model '" + model.id() + "' takes no prompt"));
    } else if (prompt.isEmpty() && rule.needsPrompt(operation)) {
      violations.add(new FieldViolation("prompt", "is required for " + operation));
    } else if (prompt.codePointCount(0, prompt.length()) > model.promptMaxChars()) {
      violations.add(
          new FieldViolation(
              "prompt", "must be at most " + model.promptMaxChars() + " characters"));
    }
    boolean masked = operation.equals(Operations.INPAINT) || operation.equals(Operations.ERASE);
    String maskId = request.maskUploadId();
    if (masked && maskId == null) {
      violations.add(new FieldViolation("mask_upload_id", "is required for " + operation));
    } else if (!masked && maskId != null) {
      violations.add(new FieldViolation("mask_upload_id", operation + " takes no mask"));
    } else if (maskId != null) {
      Upload found = mask.orElse(null);
      if (found == null) {
        violations.add(new FieldViolation("mask_upload_id", "unknown upload '" + maskId + "'"));
      } else if (found.width() != source.width() || found.height() != source.height()) {
        violations.add(
            new FieldViolation(
                "mask_upload_id",
                "the mask is "
                    + found.width()
                    + "x"
                    + found.height()
                    + " but the source is "
                    + source.width()
                    + "x"
                    + source.height()
                    + "; it must be the same size"));
      }
    }
    GenerationParams.Expand expand = expand(request.expand(), operation, violations);
    Long seed = request.seed();
    if (seed != null && (seed < 0 || seed > GenerationValidator.MAX_SEED)) {
      violations.add(
          new FieldViolation("seed", "must be within [0, " + GenerationValidator.MAX_SEED + "]"));
    }
    if (!violations.isEmpty()) {
      throw new InvalidRequestException(violations);
    }
    int[] size = outputSize(rule, source, expand);
    long chosenSeed =
        !model.params().seed()
            ? GenerationValidator.NO_SEED
            : seed != null
                ? seed
                : ThreadLocalRandom.current().nextLong(GenerationValidator.MAX_SEED - 3);
    GenerationParams params =
        new GenerationParams(
            model.id(),
            prompt,
            "",
            size[0],
            size[1],
            1,
            chosenSeed,
            null,
            null,
            Map.of(),
            List.of(),
            operation,
            request.sourceImageId(),
            request.sourceUploadId(),
            maskId,
            expand,
            false);
    return new ValidatedGeneration(model, new UpstreamSize(size[0], size[1], false), params);
  }

  /**
   * The model asked for, checked; or the first serving the operation (its default first) that is
   * usable and whose limits the source meets. When none does, the default's reason is given.
   */
  private @Nullable CatalogModel model(
      @Nullable String asked, String operation, Source source, List<FieldViolation> violations) {
    if (asked != null) {
      CatalogModel model = catalog.find(asked).orElse(null);
      if (model == null || !model.serves(operation)) {
        violations.add(
            new FieldViolation(
                "model",
                "'"
                    + asked
                    + "' is not a model for "
                    + operation
                    + "; available: "
                    + String.join(
                        ", ", catalog.serving(operation).stream().map(CatalogModel::id).toList())));
        return null;
      }
      FieldViolation unusable = unusable(model, source);
      if (unusable != null) {
        violations.add(unusable);
        return null;
      }
      return model;
    }
    FieldViolation first = null;
    for (CatalogModel model : catalog.serving(operation)) {
      FieldViolation reason = unusable(model, source);
      if (reason == null) {
        return model;
      }
      if (first == null) {
        first = reason;
      }
    }
    violations.add(
        first != null ? first : new FieldViolation("operation", "no model serves " + operation));
    return null;
  }

  /** Why the model cannot take this source now, naming the field at fault; null when it can. */
  private @Nullable FieldViolation unusable(CatalogModel model, Source source) {
    Lifecycle lifecycle = model.lifecycle();
    if (lifecycle != null && lifecycle.retired(clock.instant())) {
      return new FieldViolation(
          "model",
          "model '" + model.id() + "' was retired by the provider on " + lifecycle.retiresAt());
    }
    Optional<String> unavailable = providers.unavailableReason(model.provider());
    if (unavailable.isPresent()) {
      return new FieldViolation(
          "model", "model '" + model.id() + "' is not available: " + unavailable.get());
    }
    String limit = outsideLimits(Objects.requireNonNull(model.edit()), model.id(), source);
    return limit == null ? null : new FieldViolation(source.field(), limit);
  }

  /** Why the source is outside the model's limits, or null. */
  private static @Nullable String outsideLimits(EditRule rule, String modelId, Source source) {
    int shortSide = Math.min(source.width(), source.height());
    int longSide = Math.max(source.width(), source.height());
    String size = source.width() + "x" + source.height();
    if (shortSide < rule.minSide()) {
      return "the source is "
          + size
          + "; "
          + modelId
          + " needs each side to be at least "
          + rule.minSide()
          + " px";
    }
    if (longSide > rule.maxSide()) {
      return "the source is "
          + size
          + "; "
          + modelId
          + " takes sides of at most "
          + rule.maxSide()
          + " px";
    }
    if (rule.maxAspect() != null && (double) longSide / shortSide > rule.maxAspect()) {
      return "the source is "
          + size
          + "; "
          + modelId
          + " takes aspect ratios up to 1:"
          + rule.maxAspect().intValue();
    }
    if (source.bytes() > rule.maxBytes()) {
      return "the source is "
          + source.bytes()
          + " bytes; "
          + modelId
          + " takes at most "
          + rule.maxBytes();
    }
    return null;
  }

  private static GenerationParams.@Nullable Expand expand(
      EditRequest.@Nullable ExpandBy asked, String operation, List<FieldViolation> violations) {
    boolean outpaint = operation.equals(Operations.OUTPAINT);
    if (asked == null) {
      if (outpaint) {
        violations.add(new FieldViolation("expand", "is required for outpaint"));
      }
      return null;
    }
    if (!outpaint) {
      violations.add(new FieldViolation("expand", operation + " takes no expand"));
      return null;
    }
    double top = side(asked.top(), "expand.top", violations);
    double right = side(asked.right(), "expand.right", violations);
    double bottom = side(asked.bottom(), "expand.bottom", violations);
    double left = side(asked.left(), "expand.left", violations);
    if (top + right + bottom + left == 0) {
      violations.add(new FieldViolation("expand", "extend at least one side"));
    }
    return new GenerationParams.Expand(top, right, bottom, left);
  }

  private static double side(@Nullable Double value, String field, List<FieldViolation> out) {
    if (value == null) {
      return 0;
    }
    if (!(value >= 0 && value <= 1)) {
      out.add(new FieldViolation(field, "must be within [0, 1]"));
      return 0;
    }
    return value;
  }

  /** What the edit will make, so its card has the right shape while it runs. */
  private static int[] outputSize(
      EditRule rule, Source source, GenerationParams.@Nullable Expand expand) {
    int width = source.width();
    int height = source.height();
    return switch (rule.output()) {
      case EditRule.DOUBLE -> new int[] {width * 2, height * 2};
      case EditRule.LONG_SIDE -> scaled(width, height, rule.outputLongSide());
      case EditRule.EXTENDED -> {
        if (expand == null) {
          yield new int[] {width, height};
        }
        double w = width * (1 + expand.left() + expand.right());
        double h = height * (1 + expand.top() + expand.bottom());
        double fit =
            rule.outputLongSide() <= 0
                ? 1
                : Math.min(1, Math.min(rule.outputLongSide() / w, rule.outputLongSide() / h));
        yield new int[] {
          (int) Math.max(1, Math.round(w * fit)), (int) Math.max(1, Math.round(h * fit))
        };
      }
      default -> new int[] {width, height};
    };
  }

  /** The size with its long side brought to {@code longSide}, the aspect kept. */
  private static int[] scaled(int width, int height, int longSide) {
    double scale = (double) longSide / Math.max(width, height);
    return new int[] {
      (int) Math.max(1, Math.round(width * scale)), (int) Math.max(1, Math.round(height * scale))
    };
  }

  private Mono<Source> source(EditRequest request, Scope scope) {
    String imageId = request.sourceImageId();
    if (imageId != null) {
      return images
          .find(imageId, scope)
          .map(
              image ->
                  new Source("source_image_id", image.width(), image.height(), image.sizeBytes()))
          .switchIfEmpty(
              Mono.error(
                  () ->
                      new InvalidRequestException(
                          "source_image_id", "unknown image '" + imageId + "'")));
    }
    String uploadId = String.valueOf(request.sourceUploadId());
    return uploads
        .find(uploadId, scope)
        .map(
            upload ->
                new Source("source_upload_id", upload.width(), upload.height(), upload.sizeBytes()))
        .switchIfEmpty(
            Mono.error(
                () ->
                    new InvalidRequestException(
                        "source_upload_id", "unknown upload '" + uploadId + "'")));
  }

  private Mono<Optional<Upload>> mask(@Nullable String maskUploadId, Scope scope) {
    return maskUploadId == null
        ? Mono.just(Optional.empty())
        : uploads.find(maskUploadId, scope).map(Optional::of).defaultIfEmpty(Optional.empty());
  }
}
