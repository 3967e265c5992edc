package com.volcstudio.connection;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Demo mode settings.
 *
 * @param latency how long the built-in emulator takes per image ({@code DEMO_LATENCY})
 */
@ConfigurationProperties("demo")
public record DemoProperties(@DefaultValue("1500ms") Duration latency) {}
