package com.volcstudio;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;

/**
 * The whole app with login on (a plain password, the environment's admin {@value #ADMIN}), in demo
 * mode on a random port: one instance shared by every test class that carries this annotation.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "DATA_DIR=target/test-data/${random.uuid}",
      "DEMO_LATENCY=50ms",
      "APP_AUTH_USERNAME=admin",
      "APP_AUTH_PASSWORD=open sesame 42",
      "APP_CORS_ORIGINS=https://studio.example"
    })
@AutoConfigureWebTestClient
public @interface LoginOnStudio {

  String ADMIN = "admin";
  String ADMIN_PASSWORD = "open sesame 42";
}
