package com.volcstudio.preset;

import com.volcstudio.account.Scope;
import com.volcstudio.web.Ids;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** A saved preset's parameters, for a generate request that names it ({@code preset_id}). */
@Component
public class PresetDefaults {

  private final PresetRepository presets;

  PresetDefaults(PresetRepository presets) {
    this.presets = presets;
  }

  /**
   * The preset's parameters; empty when there is no such preset, the id cannot be one, or {@code
   * scope} may not open it.
   */
  public Mono<PresetParams> find(String presetId, Scope scope) {
    return Ids.isId(presetId)
        ? presets.findById(presetId, scope.restrictedTo()).map(Preset::params)
        : Mono.empty();
  }
}
