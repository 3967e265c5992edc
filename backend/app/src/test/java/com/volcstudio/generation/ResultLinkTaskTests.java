package com.volcstudio.generation;

import static org.assertj.core.api.Assertions.assertThat;

import com.volcstudio.volcengine.FakeUpstream;
import com.volcstudio.volcengine.FakeUpstream.ConnectionTrap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The review's port scanner: live mode against an upstream whose answer names a result link on
 * loopback. The task fails with an explained, bilingual error that carries no exception text, and
 * nothing connects to the address named.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"DATA_DIR=target/test-data/${random.uuid}", "VOLC_MAX_RETRIES=1"})
@AutoConfigureWebTestClient
class ResultLinkTaskTests {

  private static final FakeUpstream upstream = FakeUpstream.start();
  private static final ConnectionTrap trap = new ConnectionTrap();

  @DynamicPropertySource
  static void pointAtTheFakeUpstream(DynamicPropertyRegistry registry) {
    registry.add("volc.endpoint", () -> upstream.endpoint().toString());
    registry.add("volc.access-key", () -> "AKLTresultlinktasktests00000001");
    registry.add("volc.secret-key", () -> "cmVzdWx0LWxpbmstdGFzay10ZXN0cw==");
  }

  @AfterAll
  static void stop() {
    upstream.close();
    trap.close();
  }

  @Autowired WebTestClient http;

  @Test
  @SuppressWarnings("unchecked")
  void aResultLinkToLoopbackFailsTheTaskExplainedAndUnfetched() throws InterruptedException {
    upstream.answerWith("http://127.0.0.1:" + trap.port() + "/");
    Map<String, Object> task =
        TaskPolling.awaitTerminal(
            http,
            (String)
                TaskPolling.submit(
                        http,
                        Map.of(
                            "prompt",
                            "a lighthouse",
                            "model",
                            "general_v2.0",
                            "width",
                            512,
                            "height",
                            512))
                    .get("task_id"));
    assertThat(task.get("status")).isEqualTo("failed");
    Map<String, Object> error = (Map<String, Object>) task.get("error");
    assertThat(error).containsEntry("code", "RESULT_URL_REFUSED").containsEntry("retryable", false);
    assertThat((String) error.get("message_en")).contains("not downloaded");
    assertThat((String) error.get("message_zh")).contains("没有下载");
    assertThat(error.toString())
        .doesNotContain("Exception")
        .doesNotContain("finishConnect")
        .doesNotContain("Connection refused")
        .doesNotContain("prematurely");
    Thread.sleep(100);
    assertThat(trap.connections()).as("connections to the address the answer named").isZero();
  }
}
