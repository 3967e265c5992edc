package com.volcstudio.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.RepeatedTest;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A keep-alive connection keeps answering after a request that arrived while the previous one was
 * still being finished. Reactor Netty 1.3.6 stopped reading such a connection for good
 * (reactor/reactor-netty#4361): the next request on it never got an answer, which is what made
 * whole test classes hang now and then. Browsers, nginx and every HTTP client reuse connections
 * like this.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"DATA_DIR=target/test-data/${random.uuid}"})
class KeepAliveTests {

  @LocalServerPort int port;

  @RepeatedTest(5)
  void answersTheNextRequestAfterAPipelinedOne() throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      // The first is answered from a database thread (asynchronously), the second, sent before the
      // first is answered, at once on the event loop: the server queues it behind the first.
      out.write(
          (request("/api/v1/system/info") + request("/api/v1/task/not-an-id"))
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertThat(statusOf(readResponse(in))).isEqualTo(200);
      assertThat(statusOf(readResponse(in))).isEqualTo(404);

      out.write(request("/api/v1/task/not-an-id").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertThat(statusOf(readResponse(in))).as("the request after the queued one").isEqualTo(404);
    }
  }

  private static String request(String path) {
    return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n\r\n";
  }

  private static int statusOf(String head) {
    return Integer.parseInt(head.substring(9, 12));
  }

  /** Reads one response (head and a Content-Length body); returns its head. */
  private static String readResponse(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed after: " + head);
      }
      head.write(b);
      matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String text = head.toString(StandardCharsets.US_ASCII);
    int length = 0;
    for (String line : text.split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    assertThat(text.toLowerCase(Locale.ROOT)).doesNotContain("transfer-encoding: chunked");
    in.readNBytes(length);
    return text;
  }
}
