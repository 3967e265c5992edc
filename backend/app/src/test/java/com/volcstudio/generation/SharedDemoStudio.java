package com.volcstudio.generation;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;

/**
 * The whole app in demo mode on a random port, one instance shared by every test class that carries
 * this annotation (Spring caches a context by its configuration, and this is one configuration):
 * quick images (20 ms each), a generous quota, four tasks at a time. Classes that need the app to
 * themselves (a restart, other settings) declare their own.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "DATA_DIR=target/test-data/${random.uuid}",
      "DEMO_LATENCY=20ms",
      "VOLC_QPS=50",
      "MAX_CONCURRENT_TASKS=4"
    })
@AutoConfigureWebTestClient
@interface SharedDemoStudio {}
