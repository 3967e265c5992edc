package com.volcstudio.volcengine;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.json.JsonMapper;

/**
 * A visual API on loopback whose answers carry whatever {@code image_urls} a test chooses (it
 * checks no signature), and that serves result paths a test defines: an upstream answer the app
 * must not trust. Every generation action answers with the links; GetResult of task "0" (the
 * connection check's probe) answers not_found.
 */
public final class FakeUpstream implements AutoCloseable {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final HttpServer server;
  private final Map<String, HttpHandler> results = new ConcurrentHashMap<>();
  private volatile List<String> imageUrls = List.of();

  private FakeUpstream(HttpServer server) {
    this.server = server;
  }

  public static FakeUpstream start() {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.setExecutor(Executors.newCachedThreadPool());
      FakeUpstream upstream = new FakeUpstream(server);
      server.createContext("/", upstream::handle);
      server.start();
      return upstream;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** The links every answer from now on carries. */
  public void answerWith(String... urls) {
    imageUrls = List.of(urls);
  }

  /** What a request for {@code path} on this server answers. */
  public void serve(String path, HttpHandler handler) {
    results.put(path, handler);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      exchange.getRequestBody().readAllBytes();
      HttpHandler result = results.get(exchange.getRequestURI().getPath());
      if (result != null) {
        result.handle(exchange);
        return;
      }
      String query = String.valueOf(exchange.getRequestURI().getQuery());
      Object data;
      if (query.contains("Action=CVSync2AsyncSubmitTask")) {
        data = Map.of("task_id", "7392616336519610409");
      } else if (query.contains("Action=CVSync2AsyncGetResult")) {
        data = Map.of("status", "done", "binary_data_base64", List.of(), "image_urls", imageUrls);
      } else {
        data = Map.of("binary_data_base64", List.of(), "image_urls", imageUrls);
      }
      byte[] body =
          JSON.writeValueAsBytes(
              Map.of("code", 10000, "message", "Success", "request_id", "fake", "data", data));
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }

  /** Answers {@code body} with a Content-Length, or chunked when {@code chunked}. */
  public static HttpHandler bytes(byte[] body, boolean chunked) {
    return exchange -> {
      exchange.getResponseHeaders().set("Content-Type", "image/png");
      exchange.sendResponseHeaders(200, chunked ? 0 : body.length);
      try {
        exchange.getResponseBody().write(body);
      } catch (IOException closedByTheClient) {
        // A client that stops reading a body it refuses closes the connection.
      }
    };
  }

  /** Promises 100 000 bytes, sends ten and drops the connection. */
  public static HttpHandler cutShort() {
    return exchange -> {
      exchange.sendResponseHeaders(200, 100_000);
      exchange.getResponseBody().write(new byte[10]);
      exchange.getResponseBody().flush();
      throw new IOException("cut short on purpose");
    };
  }

  public static HttpHandler redirect(String location) {
    return exchange -> {
      exchange.getResponseHeaders().set("Location", location);
      exchange.sendResponseHeaders(302, -1);
    };
  }

  public static HttpHandler json(String body) {
    return exchange -> {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, bytes.length);
      exchange.getResponseBody().write(bytes);
    };
  }

  public static HttpHandler status(int status) {
    return exchange -> {
      byte[] body = "no".getBytes(StandardCharsets.US_ASCII);
      exchange.sendResponseHeaders(status, body.length);
      exchange.getResponseBody().write(body);
    };
  }

  /**
   * A listening socket on loopback that only counts the connections made to it (and closes them):
   * proof that nothing was sent to an address a result link named.
   */
  public static final class ConnectionTrap implements AutoCloseable {

    private final ServerSocket socket;
    private final AtomicInteger connections = new AtomicInteger();

    public ConnectionTrap() {
      try {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Thread accepting =
          new Thread(
              () -> {
                while (!socket.isClosed()) {
                  try (Socket accepted = socket.accept()) {
                    connections.incrementAndGet();
                  } catch (IOException closed) {
                    return;
                  }
                }
              },
              "connection-trap");
      accepting.setDaemon(true);
      accepting.start();
    }

    public int port() {
      return socket.getLocalPort();
    }

    public int connections() {
      return connections.get();
    }

    @Override
    public void close() {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing a listening socket of our own; nothing to do
      }
    }
  }
}
