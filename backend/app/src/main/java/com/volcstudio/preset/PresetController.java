package com.volcstudio.preset;

import com.volcstudio.account.Caller;
import com.volcstudio.account.Scope;
import com.volcstudio.catalog.CatalogModel;
import com.volcstudio.catalog.ModelCatalog;
import com.volcstudio.catalog.ModelParameters;
import com.volcstudio.web.FieldViolation;
import com.volcstudio.web.InvalidRequestException;
import com.volcstudio.web.NotFoundException;
import com.volcstudio.web.RandomIds;
import com.volcstudio.web.Texts;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
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
 * {@code /api/v1/presets}: list, create, replace, delete. A preset is checked against its model
 * when saved, so loading it never fills the form with something the model refuses.
 */
@RestController
class PresetController {

  static final int MAX_NAME = 50;

  record Presets(List<Preset> items) {}

  private final PresetRepository presets;
  private final ModelCatalog catalog;
  private final Clock clock = Clock.systemUTC();
  private final RandomIds ids = new RandomIds();

  PresetController(PresetRepository presets, ModelCatalog catalog) {
    this.presets = presets;
    this.catalog = catalog;
  }

  @GetMapping("/api/v1/presets")
  Mono<Presets> list() {
    return Scope.current()
        .flatMap(scope -> presets.findAll(scope.listed()).collectList())
        .map(Presets::new);
  }

  @ApiResponse(responseCode = "201", description = "Created; Location names it")
  @PostMapping("/api/v1/presets")
  Mono<ResponseEntity<Preset>> create(@RequestBody PresetRequest request) {
    return Mono.fromSupplier(() -> validated(request))
        .map(
            valid ->
                new Preset(
                    ids.next(), valid.name(), valid.params(), clock.instant(), clock.instant()))
        .flatMap(
            preset ->
                Caller.currentOwner()
                    .flatMap(owner -> presets.insert(preset, owner))
                    .thenReturn(preset))
        .onErrorMap(DataIntegrityViolationException.class, e -> duplicateName(request.name()))
        .map(
            preset ->
                ResponseEntity.created(URI.create("/api/v1/presets/" + preset.id())).body(preset));
  }

  @PutMapping("/api/v1/presets/{preset_id}")
  Mono<Preset> replace(@PathVariable("preset_id") String id, @RequestBody PresetRequest request) {
    return Scope.current()
        .flatMap(
            scope ->
                Mono.fromSupplier(() -> validated(request))
                    .flatMap(
                        valid ->
                            presets.update(
                                id,
                                scope.restrictedTo(),
                                valid.name(),
                                valid.params(),
                                clock.instant()))
                    .onErrorMap(
                        DataIntegrityViolationException.class, e -> duplicateName(request.name()))
                    .flatMap(
                        updated ->
                            updated
                                ? presets.findById(id, null)
                                : Mono.error(new NotFoundException("preset", id))));
  }

  @ApiResponse(responseCode = "204", description = "Deleted")
  @DeleteMapping("/api/v1/presets/{preset_id}")
  Mono<ResponseEntity<Void>> delete(@PathVariable("preset_id") String id) {
    return Scope.current()
        .flatMap(scope -> presets.delete(id, scope.restrictedTo()))
        .flatMap(
            deleted ->
                deleted
                    ? Mono.just(ResponseEntity.noContent().<Void>build())
                    : Mono.error(new NotFoundException("preset", id)));
  }

  private record Valid(String name, PresetParams params) {}

  private Valid validated(PresetRequest request) {
    List<FieldViolation> violations = new ArrayList<>();
    String name = request.name() == null ? "" : request.name().strip();
    if (name.isEmpty() || name.length() > MAX_NAME) {
      violations.add(new FieldViolation("name", "must be 1–" + MAX_NAME + " characters"));
    } else if (!Texts.isWellFormed(name)) {
      violations.add(new FieldViolation("name", Texts.MALFORMED));
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
    ModelParameters.resolve(
        model,
        new ModelParameters.Requested(
            params.width(),
            params.height(),
            params.numImages(),
            params.steps(),
            params.scale(),
            params.negativePrompt(),
            params.options()),
        "params.",
        violations);
    if (!violations.isEmpty()) {
      throw new InvalidRequestException(violations);
    }
    return new Valid(name, params);
  }

  private static InvalidRequestException duplicateName(@Nullable String name) {
    return new InvalidRequestException(
        "name", "a preset called '" + (name == null ? "" : name.strip()) + "' already exists");
  }
}
