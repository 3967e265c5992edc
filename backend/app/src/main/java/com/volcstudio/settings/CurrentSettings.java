package com.volcstudio.settings;

import com.volcstudio.usage.MonthlyImageLimit;
import com.volcstudio.volcengine.UpstreamLimits;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The runtime settings in force. Whoever applies a setting asks here at the moment it matters (per
 * upstream call, per dispatched task), so a change applies to the next call without a restart.
 */
public final class CurrentSettings implements UpstreamLimits, MonthlyImageLimit {

  static final JsonMapper JSON =
      JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();

  private final RuntimeSettings environment;
  private volatile Map<String, JsonNode> overrides = Map.of();
  private volatile RuntimeSettings current;

  CurrentSettings(RuntimeSettings environment) {
    this.environment = environment;
    this.current = environment;
  }

  public RuntimeSettings get() {
    return current;
  }

  /** The environment's values, before any override. */
  RuntimeSettings environment() {
    return environment;
  }

  /**
   * Overrides by snake_case name; values are JSON literals (a null value is an explicit "none").
   */
  Map<String, JsonNode> overrides() {
    return overrides;
  }

  /** The settings these overrides would give, without applying them. */
  RuntimeSettings with(Map<String, JsonNode> candidate) {
    ObjectNode tree = JSON.valueToTree(environment);
    candidate.forEach(tree::set);
    return JSON.treeToValue(tree, RuntimeSettings.class);
  }

  synchronized RuntimeSettings apply(Map<String, JsonNode> next) {
    RuntimeSettings settings = with(next);
    overrides = Map.copyOf(new LinkedHashMap<>(next));
    current = settings;
    return settings;
  }

  @Override
  public @Nullable Integer monthlyImageLimit() {
    return current.monthlyImageQuota();
  }

  @Override
  public double visualQps() {
    return current.volcQps();
  }

  @Override
  public int visualConcurrency() {
    return current.volcConcurrency();
  }

  @Override
  public int arkRpm() {
    return current.arkRpm();
  }

  @Override
  public int arkConcurrency() {
    return current.arkConcurrency();
  }
}
