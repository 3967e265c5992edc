package com.volcstudio.preset;

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

  /** The preset's parameters; empty when there is no such preset (or the id cannot be one). */
  public Mono<PresetParams> find(String presetId) {
    return Ids.isId(presetId) ? presets.findById(presetId).map(Preset::params) : Mono.empty();
  }
}
