package com.volcstudio.settings;

/**
 * Published after the runtime settings changed, for whoever must act at once (e.g. start more
 * tasks).
 */
public record SettingsChanged(RuntimeSettings settings) {}
