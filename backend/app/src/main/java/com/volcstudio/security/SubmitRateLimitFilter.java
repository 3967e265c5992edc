package com.volcstudio.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.volcstudio.connection.Providers;
import com.volcstudio.connection.StudioMode;
import com.volcstudio.coordination.SharedLimits;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.PathContainer;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import reactor.core.publisher.Mono;

/**
 * At most RATE_LIMIT_PER_MINUTE submits per client and minute, on the requests that cost something:
 * starting generations, uploads, a credentials test (a real upstream call) and login attempts
 * (guessing passwords). A client is the logged-in user, else its address ({@link ClientAddress}).
 * Each client has its own resilience4j limiter (a fixed one-minute window that starts with the
 * client's first submit), held in a bounded Caffeine map so that a flood of addresses cannot
 * exhaust memory. With several replicas (REDIS_URL) a client is counted once across all of them, in
 * the same kind of window kept in Redis (coordination.SharedLimits#count).
 *
 * <p>Loopback clients are exempt in demo mode: there the emulator costs nothing, the only user is
 * the person at the machine, and the test suites submit far more than a person would. In live mode
 * every client is limited, loopback included: a runaway script spends real money.
 *
 * <p>Runs after the security chain (order 0 &gt; -100), so the user is known and anonymous requests
 * to a protected API have already been refused without using up anybody's allowance.
 */
@Component
class SubmitRateLimitFilter implements WebFilter, Ordered {

  private static final Logger log = LoggerFactory.getLogger(SubmitRateLimitFilter.class);

  private static final List<PathPattern> SUBMITS =
      List.of(
              "/api/v1/generate",
              "/api/v1/generate/batch",
              "/api/v1/uploads",
              "/api/v1/settings/credentials/{provider}/test",
              "/api/v1/auth/login")
          .stream()
          .map(PathPatternParser.defaultInstance::parse)
          .toList();

  /** Clients remembered at once; the least recently seen is forgotten first. */
  static final int MAX_CLIENTS = 10_000;

  private final StudioSecurityProperties properties;
  private final Providers providers;
  private final ProblemWriter problems;
  private final SharedLimits shared;
  private final RateLimiterConfig config;
  private final Cache<String, RateLimiter> limiters;

  SubmitRateLimitFilter(
      StudioSecurityProperties properties,
      Providers providers,
      ProblemWriter problems,
      SharedLimits shared) {
    this.properties = properties;
    this.providers = providers;
    this.problems = problems;
    this.shared = shared;
    this.config =
        RateLimiterConfig.custom()
            .limitForPeriod(properties.rateLimitPerMinute())
            .limitRefreshPeriod(Duration.ofMinutes(1))
            .timeoutDuration(Duration.ZERO)
            .build();
    // A client unseen for two minutes has a full allowance again anyway: forgetting it changes
    // nothing.
    this.limiters =
        Caffeine.newBuilder()
            .maximumSize(MAX_CLIENTS)
            .expireAfterAccess(Duration.ofMinutes(2))
            .build();
  }

  @Override
  public int getOrder() {
    return 0;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    if (!properties.rateLimitEnabled() || !isSubmit(exchange)) {
      return chain.filter(exchange);
    }
    return RequestClient.of(exchange)
        .flatMap(
            client -> {
              if (client.loopback() && providers.mode() == StudioMode.DEMO) {
                return chain.filter(exchange);
              }
              // Several replicas (REDIS_URL): one count per client across all of them; this
              // replica's own limiter when Redis is not configured or does not answer at once.
              return shared
                  .count("volc-studio:rate:" + client.key(), Duration.ofMinutes(1))
                  .map(
                      count ->
                          count.count() <= properties.rateLimitPerMinute()
                              ? 0L
                              : Math.max(1, (count.left().toMillis() + 999) / 1000))
                  .switchIfEmpty(Mono.fromSupplier(() -> locally(client.key())))
                  .flatMap(
                      retryAfter ->
                          retryAfter == 0
                              ? chain.filter(exchange)
                              : refuse(exchange, client, retryAfter));
            });
  }

  /** 0 when this replica's limiter admits the submit, else the seconds until it would. */
  private long locally(String key) {
    RateLimiter limiter = limiters.get(key, k -> RateLimiter.of(k, config));
    return limiter.acquirePermission() ? 0 : retryAfterSeconds(limiter);
  }

  private Mono<Void> refuse(ServerWebExchange exchange, RequestClient client, long retryAfter) {
    log.debug("rate limit: {} refused, retry after {} s", client.key(), retryAfter);
    exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
    return problems.write(
        exchange,
        HttpStatus.TOO_MANY_REQUESTS,
        "Too many submits: at most "
            + properties.rateLimitPerMinute()
            + " a minute per client. Try again in "
            + retryAfter
            + " s.");
  }

  private static boolean isSubmit(ServerWebExchange exchange) {
    if (exchange.getRequest().getMethod() != HttpMethod.POST) {
      return false;
    }
    PathContainer path = exchange.getRequest().getPath().pathWithinApplication();
    return SUBMITS.stream().anyMatch(pattern -> pattern.matches(path));
  }

  /** Whole seconds until the limiter's next window, at least 1 (Retry-After has no fractions). */
  private static long retryAfterSeconds(RateLimiter limiter) {
    long nanos =
        limiter instanceof AtomicRateLimiter atomic
            ? atomic.getDetailedMetrics().getNanosToWait()
            : 0;
    return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
  }
}
