package com.volcstudio.volcengine;

import java.net.URI;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Non-blocking client of the visual API. The body is serialised once; those exact bytes are hashed,
 * signed and sent, so the signature can never describe a different body than the one on the wire.
 */
public final class VisualClient {

  static final String VERSION = "2022-08-31";

  /** CVCancelTask is the one action on a newer version (docs/volcengine/PROTOCOL.md §3). */
  static final String CANCEL_VERSION = "2024-06-06";

  /** Redirects followed from one result link, each held to the same rule as the link. */
  static final int MAX_REDIRECTS = 3;

  private final WebClient webClient;
  private final VolcSigner signer;
  private final JsonMapper json;
  private final QuotaGovernor governor;
  private final ResultLinks links;

  public VisualClient(
      WebClient webClient,
      VolcSigner signer,
      JsonMapper json,
      QuotaGovernor governor,
      ResultLinks links) {
    this.webClient = webClient;
    this.signer = signer;
    this.json = json;
    this.governor = governor;
    this.links = links;
  }

  /**
   * Synchronous generation: the images come back in the response (base64, or URLs fetched at once).
   */
  public Mono<List<byte[]>> cvProcess(VisualConnection connection, Map<String, Object> body) {
    return process(connection, "CVProcess", body);
  }

  /** A synchronous action by name ({@code CVProcess}, {@code SaliencySeg}, …). */
  public Mono<List<byte[]>> process(
      VisualConnection connection, String action, Map<String, Object> body) {
    return governor
        .generation(call(connection, action, body))
        .flatMap(data -> imagesOf(connection, data));
  }

  /**
   * Submits an asynchronous generation; the upstream task id, kept as the string it is
   * (docs/volcengine/PROTOCOL.md §3.1).
   *
   * @param goingOut subscribed once the call has its concurrency slot and its turn, right before
   *     the request leaves: the caller records there that a submit is under way, so that a restart
   *     knows it may have been accepted (waiting for the turn beforehand is not such a moment)
   */
  public Mono<String> submit(
      VisualConnection connection, Map<String, Object> body, Mono<Void> goingOut) {
    return governor
        .generation(goingOut.then(call(connection, "CVSync2AsyncSubmitTask", body)))
        .flatMap(
            data -> {
              String taskId = data.path("task_id").asString("");
              return taskId.isEmpty()
                  ? Mono.error(
                      new VolcApiException(
                          VolcErrorCodes.describe(
                              "EMPTY_RESULT", "submit answered no task_id", 200)))
                  : Mono.just(taskId);
            });
  }

  /**
   * Asks for an asynchronous task's result. Output options travel in {@code req_json}, a string of
   * serialised JSON; a task that failed upstream arrives as a {@link VolcApiException} with its
   * code.
   */
  public Mono<AsyncResult> result(
      VisualConnection connection, String reqKey, String taskId, Map<String, Object> reqJson) {
    Map<String, Object> body =
        Map.of("req_key", reqKey, "task_id", taskId, "req_json", json.writeValueAsString(reqJson));
    return governor
        .query(call(connection, "CVSync2AsyncGetResult", body))
        .flatMap(
            data -> {
              String status = data.path("status").asString("");
              if (!status.equals("done")) {
                return Mono.just(new AsyncResult(status, List.of()));
              }
              return imagesOf(connection, data).map(images -> new AsyncResult(status, images));
            });
  }

  /** Cancels an asynchronous task; where the service cannot, the task is simply abandoned. */
  public Mono<Void> cancel(VisualConnection connection, String reqKey, String taskId) {
    return governor
        .query(
            send(
                connection,
                "CVCancelTask",
                CANCEL_VERSION,
                Map.of("req_key", reqKey, "task_id", taskId)))
        .then()
        // The user's cancel goes out even to a provider thought unreachable; where it fails, the
        // job is abandoned as it would be anyway.
        .contextWrite(QuotaGovernor.bypassingBreaker());
  }

  /**
   * An asynchronous task's state: {@code in_queue}, {@code generating}, {@code done} (with images),
   * {@code not_found}, {@code expired}.
   */
  public record AsyncResult(String status, List<byte[]> images) {
    public boolean done() {
      return status.equals("done");
    }

    /** The service no longer knows the task (unknown, or older than its 12-hour lifetime). */
    public boolean lost() {
      return status.equals("not_found") || status.equals("expired");
    }
  }

  /**
   * Signs and sends one action; the {@code data} object on success, {@link VolcApiException}
   * otherwise.
   */
  Mono<JsonNode> call(VisualConnection connection, String action, Map<String, Object> body) {
    return send(connection, action, VERSION, body);
  }

  private Mono<JsonNode> send(
      VisualConnection connection, String action, String version, Map<String, Object> body) {
    return Mono.defer(() -> signAndSend(connection, action, version, body));
  }

  private Mono<JsonNode> signAndSend(
      VisualConnection connection, String action, String version, Map<String, Object> body) {
    // Signed when sent, not when assembled: a call that waited for a rate-limit permit carries a
    // fresh X-Date.
    byte[] bytes = json.writeValueAsBytes(body);
    String path = "/";
    URI uri =
        URI.create(
            UpstreamTransport.base(connection.endpoint())
                + path
                + "?Action="
                + action
                + "&Version="
                + version);
    SigningRequest toSign =
        new SigningRequest(
            "POST",
            connection.hostHeader(),
            path,
            List.of(Map.entry("Action", action), Map.entry("Version", version)),
            List.of(
                Map.entry("Accept", "application/json"),
                Map.entry("Content-Type", MediaType.APPLICATION_JSON_VALUE)),
            bytes);
    List<Map.Entry<String, String>> headers = signer.sign(toSign, connection.credentials());
    return webClient
        .post()
        .uri(uri)
        .headers(h -> headers.forEach(e -> h.set(e.getKey(), e.getValue())))
        .bodyValue(bytes)
        .exchangeToMono(
            response ->
                response
                    .bodyToMono(byte[].class)
                    .defaultIfEmpty(new byte[0])
                    .flatMap(raw -> parse(response.statusCode().value(), raw)))
        .onErrorMap(WebClientRequestException.class, UpstreamTransport::failure);
  }

  /**
   * Reads either envelope (docs/volcengine/PROTOCOL.md §4): {@code ResponseMetadata.Error} from the
   * gateway wins; then the service's {@code code}, which must be 10000 before {@code data} means
   * anything.
   */
  private Mono<JsonNode> parse(int httpStatus, byte[] raw) {
    JsonNode root;
    try {
      root = json.readTree(raw);
    } catch (JacksonException e) {
      // A body cut short or a proxy's error page: a transient fault on the way, so retryable.
      return Mono.error(
          new VolcApiException(
              VolcErrorCodes.describe(
                  "UPSTREAM_MALFORMED",
                  "HTTP " + httpStatus + " with a body that is not JSON",
                  httpStatus)));
    }
    JsonNode gatewayError = root.path("ResponseMetadata").path("Error");
    if (gatewayError.isObject()) {
      return Mono.error(
          new VolcApiException(
              VolcErrorCodes.describe(
                  gatewayError.path("Code").asString("Unknown"),
                  gatewayError.path("Message").asString(""),
                  httpStatus)));
    }
    int code = root.path("code").asInt(-1);
    if (code != 10000) {
      String reported = code == -1 ? "HTTP_" + httpStatus : String.valueOf(code);
      return Mono.error(
          new VolcApiException(
              VolcErrorCodes.describe(reported, root.path("message").asString(""), httpStatus)));
    }
    return Mono.just(root.path("data"));
  }

  private Mono<List<byte[]>> imagesOf(VisualConnection connection, JsonNode data) {
    List<byte[]> decoded = new ArrayList<>();
    for (JsonNode b64 : data.path("binary_data_base64")) {
      decoded.add(Base64.getDecoder().decode(b64.asString()));
    }
    if (!decoded.isEmpty()) {
      return Mono.just(decoded);
    }
    List<String> urls = new ArrayList<>();
    data.path("image_urls").forEach(u -> urls.add(u.asString()));
    if (urls.isEmpty()) {
      return Mono.error(
          new VolcApiException(
              VolcErrorCodes.describe("EMPTY_RESULT", "the response carried no image", 200)));
    }
    // Every link is judged before any is fetched: an answer naming one address it may not is not
    // half downloaded.
    for (String url : urls) {
      Optional<String> refusal = links.refusal(url, connection.endpoint());
      if (refusal.isPresent()) {
        return Mono.error(failure("RESULT_URL_REFUSED", refusal.get(), 200));
      }
    }
    // Result URLs expire (1 h for some models), so they are fetched right away.
    return Flux.fromIterable(urls)
        .concatMap(url -> download(connection.endpoint(), URI.create(url), 0))
        .collectList();
  }

  /**
   * One result image, at most {@link ResultLinks#maxBytes()}. A redirect is followed only to a link
   * the same rule allows (the client itself never follows one); whatever goes wrong becomes an
   * explained error that names the link's origin, never an exception's text.
   */
  private Mono<byte[]> download(URI endpoint, URI link, int redirects) {
    String origin = origin(link);
    return webClient
        .get()
        .uri(link)
        .exchangeToMono(
            response -> {
              int status = response.statusCode().value();
              if (response.statusCode().is3xxRedirection()) {
                String location = response.headers().asHttpHeaders().getFirst("Location");
                return discard(response)
                    .then(Mono.defer(() -> redirect(endpoint, link, location, redirects)));
              }
              if (!response.statusCode().is2xxSuccessful()) {
                return discard(response)
                    .then(
                        Mono.error(
                            failure(
                                "RESULT_FETCH_FAILED",
                                "the result link " + origin + " answered HTTP " + status,
                                status)));
              }
              if (response.headers().contentLength().orElse(-1) > links.maxBytes()) {
                return discard(response).then(Mono.error(tooLarge(origin)));
              }
              return DataBufferUtils.join(
                      response.body(BodyExtractors.toDataBuffers()),
                      (int) Math.min(Integer.MAX_VALUE, links.maxBytes()))
                  .map(
                      buffer -> {
                        byte[] bytes = new byte[buffer.readableByteCount()];
                        buffer.read(bytes);
                        DataBufferUtils.release(buffer);
                        return bytes;
                      })
                  .onErrorMap(DataBufferLimitException.class, e -> tooLarge(origin))
                  .filter(bytes -> bytes.length > 0)
                  .switchIfEmpty(
                      Mono.error(
                          () ->
                              failure(
                                  "RESULT_FETCH_FAILED",
                                  "the result link " + origin + " answered an empty body",
                                  status)));
            })
        .onErrorMap(
            e -> !(e instanceof VolcApiException),
            e ->
                new VolcApiException(
                    VolcErrorCodes.describe(
                        "RESULT_FETCH_FAILED",
                        "the result link "
                            + origin
                            + " could not be downloaded: "
                            + UpstreamTransport.reason(e),
                        0),
                    e));
  }

  private Mono<byte[]> redirect(URI endpoint, URI from, @Nullable String location, int redirects) {
    String origin = origin(from);
    if (location == null || location.isBlank()) {
      return Mono.error(
          failure(
              "RESULT_FETCH_FAILED",
              "the result link " + origin + " redirected without a location",
              0));
    }
    if (redirects >= MAX_REDIRECTS) {
      return Mono.error(
          failure(
              "RESULT_FETCH_FAILED",
              "the result link " + origin + " redirected more than " + MAX_REDIRECTS + " times",
              0));
    }
    URI next;
    try {
      next = from.resolve(location.trim());
    } catch (IllegalArgumentException e) {
      return Mono.error(
          failure(
              "RESULT_URL_REFUSED",
              "the result link " + origin + " redirected to something that is not a URL",
              0));
    }
    Optional<String> refusal = links.refusal(next.toString(), endpoint);
    if (refusal.isPresent()) {
      return Mono.error(
          failure("RESULT_URL_REFUSED", "redirected from " + origin + ": " + refusal.get(), 0));
    }
    return download(endpoint, next, redirects + 1);
  }

  /**
   * Lets go of a body that will not be read: cancelled after its first buffer at most, which closes
   * the connection instead of reading a large body to its end.
   */
  private static Mono<Void> discard(ClientResponse response) {
    return response
        .body(BodyExtractors.toDataBuffers())
        .doOnNext(DataBufferUtils::release)
        .take(1)
        .then();
  }

  private VolcApiException tooLarge(String origin) {
    return failure(
        "RESULT_TOO_LARGE",
        "the result image at "
            + origin
            + " is larger than "
            + links.maxBytes() / (1024 * 1024)
            + " MB (VOLC_RESULT_MAX_MB)",
        200);
  }

  private static VolcApiException failure(String code, String reason, int httpStatus) {
    return new VolcApiException(VolcErrorCodes.describe(code, reason, httpStatus));
  }

  /** Scheme, host and port: never the path or query, which may hold a signature. */
  private static String origin(URI link) {
    return link.getScheme()
        + "://"
        + link.getHost()
        + (link.getPort() == -1 ? "" : ":" + link.getPort());
  }
}
