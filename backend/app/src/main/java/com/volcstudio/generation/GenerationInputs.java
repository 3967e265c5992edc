package com.volcstudio.generation;

import com.volcstudio.account.Scope;
import com.volcstudio.preset.PresetDefaults;
import com.volcstudio.preset.PresetParams;
import com.volcstudio.upload.Upload;
import com.volcstudio.upload.Uploads;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * What a request refers to by id and the validator needs to see: the named preset and the reference
 * uploads. Looked up (from the database) before validation, which itself stays a plain function.
 */
@Component
class GenerationInputs {

  /**
   * The preset (empty when none was named or none exists) and the reference uploads that exist, by
   * id.
   */
  record Resolved(Optional<PresetParams> preset, Map<String, Upload> uploads) {
    static final Resolved NONE = new Resolved(Optional.empty(), Map.of());
  }

  private final PresetDefaults presets;
  private final Uploads uploads;

  GenerationInputs(PresetDefaults presets, Uploads uploads) {
    this.presets = presets;
    this.uploads = uploads;
  }

  Mono<Resolved> resolve(@Nullable String presetId, @Nullable List<String> referenceImageIds) {
    // Another user's preset or upload is not found here, exactly like one that does not exist.
    return Scope.current().flatMap(scope -> resolve(presetId, referenceImageIds, scope));
  }

  private Mono<Resolved> resolve(
      @Nullable String presetId, @Nullable List<String> referenceImageIds, Scope scope) {
    Mono<Optional<PresetParams>> preset =
        presetId == null
            ? Mono.just(Optional.empty())
            : presets.find(presetId, scope).map(Optional::of).defaultIfEmpty(Optional.empty());
    Mono<Map<String, Upload>> found =
        referenceImageIds == null || referenceImageIds.isEmpty()
            ? Mono.just(Map.of())
            // Only well-formed ids are looked up, at most a handful more than any model takes.
            : uploads.findAll(
                referenceImageIds.stream().filter(id -> id != null).limit(64).toList(), scope);
    return Mono.zip(preset, found, Resolved::new);
  }
}
