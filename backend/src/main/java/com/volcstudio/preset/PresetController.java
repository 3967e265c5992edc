package com.volcstudio.preset;

import com.volcstudio.catalog.CatalogModel;
import com.volcstudio.catalog.ModelCatalog;
import com.volcstudio.web.FieldViolation;
import com.volcstudio.web.InvalidRequestException;
import com.volcstudio.web.NotFoundException;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code /api/v1/presets}: list, create, replace, delete. A preset is checked against its model when
 * saved, so loading it never fills the form with something the model refuses.
 */
@RestController
class PresetController {

  static final int MAX_NAME = 50;

  record Presets(List<Preset> items) {}

  private final PresetRepository presets;
  private final ModelCatalog catalog;
  private final Clock clock = Clock.systemUTC();

  PresetController(PresetRepository presets, ModelCatalog catalog) {
    this.presets = presets;
    this.catalog = catalog;
  }

  @GetMapping("/api/v1/presets")
  Mono<Presets> list() {
    return presets.findAll().collectList().map(Presets::new);
  }

  @PostMapping("/api/v1/presets")
  Mono<ResponseEntity<Preset>> create(@RequestBody PresetRequest request) {
    return Mono.fromSupplier(() -> validated(request))
        .map(valid -> new Preset(UUID.randomUUID().toString(), valid.name(), valid.params(), clock.instant(), clock.instant()))
        .flatMap(preset -> presets.insert(preset).thenReturn(preset))
        .onErrorMap(DataIntegrityViolationException.class, e -> duplicateName(request.name()))
        .map(preset -> ResponseEntity.created(URI.create("/api/v1/presets/" + preset.id())).body(preset));
  }

  @PutMapping("/api/v1/presets/{preset_id}")
  Mono<Preset> replace(@PathVariable("preset_id") String id, @RequestBody PresetRequest request) {
    return Mono.fromSupplier(() -> validated(request))
        .flatMap(valid -> presets.update(id, valid.name(), valid.params(), clock.instant()))
        .onErrorMap(DataIntegrityViolationException.class, e -> duplicateName(request.name()))
        .flatMap(updated -> updated ? presets.findById(id) : Mono.error(new NotFoundException("preset", id)));
  }

  @DeleteMapping("/api/v1/presets/{preset_id}")
  Mono<ResponseEntity<Void>> delete(@PathVariable("preset_id") String id) {
    return presets.delete(id).flatMap(deleted -> deleted
        ? Mono.just(ResponseEntity.noContent().<Void>build())
        : Mono.error(new NotFoundException("preset", id)));
  }

  private record Valid(String name, PresetParams params) {}

  private Valid validated(PresetRequest request) {
    List<FieldViolation> violations = new ArrayList<>();
    String name = request.name() == null ? "" : request.name().strip();
    if (name.isEmpty() || name.length() > MAX_NAME) {
      violations.add(new FieldViolation("name", "must be 1–" + MAX_NAME + " characters"));
    }
    PresetParams params = request.params();
    if (params == null) {
      violations.add(new FieldViolation("params", "are required (at least a model)"));
      throw new InvalidRequestException(violations);
    }
    CatalogModel model = catalog.find(params.model() == null ? "" : params.model()).orElse(null);
    if (model == null) {
      violations.add(new FieldViolation("params.model", "unknown model '" + params.model() + "'"));
      throw new InvalidRequestException(violations);
    }
    int width = orDefault(params.width(), model.size().defaultWidth());
    int height = orDefault(params.height(), model.size().defaultHeight());
    if (model.size().resolve(width, height).isEmpty()) {
      violations.add(new FieldViolation("params.width", width + "×" + height + " cannot be produced by model '" + model.id()
          + "'; sides must be " + model.size().describe()));
    }
    int numImages = orDefault(params.numImages(), 1);
    if (numImages < 1 || numImages > model.maxImages()) {
      violations.add(new FieldViolation("params.num_images", "must be between 1 and " + model.maxImages()));
    }
    checkRange("params.steps", params.steps(), model.params().steps(), model.id(), violations);
    checkRange("params.scale", params.scale(), model.params().scale(), model.id(), violations);
    if (params.options() != null) {
      params.options().keySet().stream()
          .filter(option -> model.options().stream().noneMatch(o -> o.name().equals(option)))
          .forEach(option -> violations.add(new FieldViolation("params.options." + option, "model '" + model.id() + "' has no such option")));
    }
    if (params.negativePrompt() != null && !params.negativePrompt().isBlank() && !model.negativePrompt()) {
      violations.add(new FieldViolation("params.negative_prompt", "model '" + model.id() + "' does not support a negative prompt"));
    }
    if (!violations.isEmpty()) {
      throw new InvalidRequestException(violations);
    }
    return new Valid(name, params);
  }

  private static void checkRange(String field, @Nullable Number value, com.volcstudio.catalog.@Nullable ParamRange range,
      String modelId, List<FieldViolation> violations) {
    if (value == null) {
      return;
    }
    if (range == null) {
      violations.add(new FieldViolation(field, "model '" + modelId + "' does not support it"));
    } else if (!range.contains(value.doubleValue())) {
      violations.add(new FieldViolation(field, "must be between " + range.min().toPlainString() + " and " + range.max().toPlainString()));
    }
  }

  private static int orDefault(@Nullable Integer value, int fallback) {
    return value == null ? fallback : value;
  }

  private static InvalidRequestException duplicateName(@Nullable String name) {
    return new InvalidRequestException("name", "a preset called '" + (name == null ? "" : name.strip()) + "' already exists");
  }
}
