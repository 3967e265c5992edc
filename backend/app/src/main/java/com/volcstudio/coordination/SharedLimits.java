package com.volcstudio.coordination;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * A provider account's rate and concurrency shared by every replica (issue 18): turns and permits
 * kept in Redis, on Redis's clock, by scripts that run whole. Without REDIS_URL both are no-ops and
 * the governor's own limits hold for this JVM alone.
 *
 * <ul>
 *   <li>A turn: the next free moment of the key's schedule, {@code interval} after the last one (a
 *       quiet account starts at once, and the one after waits a little longer, as the local spacer
 *       does).
 *   <li>A permit: an entry of the key's sorted set, scored with its expiry; a call renews its
 *       permit while it runs and removes it when it ends, and a dead replica's permits expire on
 *       their own after {@link #PERMIT_TTL}.
 *   <li>Redis unreachable: calls wait (tried again every half second) rather than spend more than
 *       the account allows.
 * </ul>
 */
@Component
public class SharedLimits implements DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(SharedLimits.class);

  /** A permit nobody renews (its replica died) is free again after this. */
  static final Duration PERMIT_TTL = Duration.ofSeconds(15);

  private static final Duration POLL = Duration.ofMillis(20);
  private static final Duration UNREACHABLE_PAUSE = Duration.ofMillis(500);

  private static final String TURN =
      """
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      local interval = tonumber(ARGV[1])
      local nextTurn = tonumber(redis.call('GET', KEYS[1]) or '0')
      local turn, following
      if nextTurn > now then
        turn = nextTurn
        following = nextTurn + interval
      else
        turn = now
        following = now + interval + math.floor(interval / 8)
      end
      redis.call('SET', KEYS[1], following, 'PX', interval * 4 + 60000)
      return turn - now
      """;

  private static final String ACQUIRE =
      """
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
      if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
        redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[2])
        redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]) * 2)
        return 1
      end
      return 0
      """;

  private static final String RENEW =
      """
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[2]), ARGV[1])
      redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) * 2)
      return 1
      """;

  private static final String COUNT =
      """
      local n = redis.call('INCR', KEYS[1])
      if n == 1 then
        redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]))
      end
      local left = redis.call('PTTL', KEYS[1])
      if left < 0 then
        redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]))
        left = tonumber(ARGV[1])
      end
      return {n, left}
      """;

  /**
   * A reservation: the key's sorted set holds {@code <id>:<amount>} scored with its expiry; the
   * answer is what the others still hold.
   */
  private static final String RESERVE =
      """
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
      local others = 0
      for _, member in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
        others = others + tonumber(string.match(member, ':(%d+)$'))
      end
      redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
      redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
      return others
      """;

  /**
   * How long a rate-limit count may wait for Redis before this replica counts alone. Not less: the
   * first call also opens the connection (under a second on a busy 2-core machine; at 300 ms the
   * first submits were counted locally).
   */
  private static final Duration COUNT_WAIT = Duration.ofSeconds(2);

  private final @Nullable RedisClient client;
  private final @Nullable String studio;
  private final LazyConnection connection;
  private final AtomicInteger waitingForRedis = new AtomicInteger();

  SharedLimits(RedisClients clients) {
    // Connected at the first call, not at start-up: a Redis that is down does not stop the start,
    // it makes calls wait.
    this.connection = new LazyConnection(clients);
    this.client = clients.client();
    this.studio = clients.cluster();
  }

  /** No Redis: every limit holds for this JVM alone (tests and benchmarks of one governor). */
  public static SharedLimits local() {
    return new SharedLimits(RedisClients.none());
  }

  /** Whether limits are shared through Redis. */
  public boolean shared() {
    return client != null;
  }

  /** Completes at the next free turn of {@code key}, {@code interval} after the previous one. */
  public Mono<Void> turn(String key, Duration interval) {
    if (!shared()) {
      return Mono.empty();
    }
    return this.<Long>script(
            TURN, ScriptOutputType.INTEGER, key, Long.toString(Math.max(1, interval.toMillis())))
        .retryWhen(whileUnreachable())
        .flatMap(wait -> wait <= 0 ? Mono.empty() : Mono.delay(Duration.ofMillis(wait)).then());
  }

  /**
   * Subscribes to {@code call} holding one of {@code limit} permits of {@code key} (the limit read
   * at each try), renewed while the call runs and returned when it ends, however it ends.
   */
  public <T> Mono<T> withPermit(String key, IntSupplier limit, Mono<T> call) {
    if (!shared()) {
      return call;
    }
    // Deferred: a retry of the governed call subscribes again, and takes a permit of its own.
    return Mono.defer(() -> permitted(key, limit, call));
  }

  private <T> Mono<T> permitted(String key, IntSupplier limit, Mono<T> call) {
    String id = UUID.randomUUID().toString();
    Mono<Boolean> tryOnce =
        this.<Long>script(
                ACQUIRE,
                ScriptOutputType.INTEGER,
                key,
                Integer.toString(Math.max(1, limit.getAsInt())),
                id,
                Long.toString(PERMIT_TTL.toMillis()))
            .map(granted -> granted == 1L);
    Mono<Void> acquired =
        tryOnce
            .retryWhen(whileUnreachable())
            .filter(Boolean::booleanValue)
            .repeatWhenEmpty(attempts -> attempts.delayElements(POLL))
            .then();
    Flux<Object> renewals =
        Flux.interval(PERMIT_TTL.dividedBy(3))
            .concatMap(
                tick ->
                    this.<Long>script(
                            RENEW,
                            ScriptOutputType.INTEGER,
                            key,
                            id,
                            Long.toString(PERMIT_TTL.toMillis()))
                        .onErrorResume(e -> Mono.empty()))
            .map(Object.class::cast);
    Mono<Void> release =
        connection
            .reactive()
            .flatMap(redis -> redis.zrem(key, id))
            .onErrorResume(e -> Mono.empty())
            .then();
    return acquired.then(
        Mono.usingWhen(
            // Renewals start with the call (not when this is assembled) and stop when it ends.
            Mono.fromSupplier(renewals::subscribe),
            renewing -> call,
            renewing -> Mono.fromRunnable(renewing::dispose).then(release),
            (renewing, error) -> Mono.fromRunnable(renewing::dispose).then(release),
            renewing -> Mono.fromRunnable(renewing::dispose).then(release)));
  }

  /** A reservation held until released (or until it expires, should its replica die). */
  public record Reservation(String key, String member, long others) {}

  /**
   * Reserves {@code amount} under {@code name} among the replicas of this studio (those sharing its
   * database, {@link RedisClients#cluster()}) for at most {@code ttl}, and answers what the others
   * hold now. Empty when there are no such replicas, or when Redis does not answer at once: the
   * caller then counts on this replica alone.
   */
  public Mono<Reservation> reserve(String name, long amount, Duration ttl) {
    if (studio == null || client == null) {
      return Mono.empty();
    }
    String key = studio + ":reserved:" + name;
    String member = java.util.UUID.randomUUID() + ":" + amount;
    return this.<Long>script(
            RESERVE, ScriptOutputType.INTEGER, key, member, Long.toString(ttl.toMillis()))
        .map(others -> new Reservation(key, member, others))
        .timeout(COUNT_WAIT)
        .onErrorResume(
            e -> {
              log.warn("reserved on this replica alone: Redis did not answer ({})", e.toString());
              return Mono.empty();
            });
  }

  /** Gives a reservation back; a failure is left to its expiry. */
  public Mono<Void> release(Reservation reservation) {
    return connection
        .reactive()
        .flatMap(redis -> redis.zrem(reservation.key(), reservation.member()))
        .timeout(COUNT_WAIT)
        .onErrorResume(e -> Mono.empty())
        .then();
  }

  /** How many times {@code key} was counted in its window, and how long the window still runs. */
  public record Count(long count, Duration left) {}

  /**
   * Counts one more for {@code key} in a fixed window of {@code window} that starts with its first
   * count, across replicas. Empty without Redis, or when Redis does not answer at once: a rate
   * limit then counts on this replica alone rather than hold the request up.
   */
  public Mono<Count> count(String key, Duration window) {
    if (!shared()) {
      return Mono.empty();
    }
    return this.<java.util.List<Object>>script(
            COUNT, ScriptOutputType.MULTI, key, Long.toString(window.toMillis()))
        .map(
            reply ->
                new Count(
                    ((Number) reply.get(0)).longValue(),
                    Duration.ofMillis(((Number) reply.get(1)).longValue())))
        .timeout(COUNT_WAIT)
        .onErrorResume(
            e -> {
              log.debug("rate limit counted locally: Redis did not answer ({})", e.toString());
              return Mono.empty();
            });
  }

  /** One of this class's scripts on {@code key}, run whole by Redis. */
  private <T> Mono<T> script(String script, ScriptOutputType type, String key, String... args) {
    return connection
        .reactive()
        .flatMap(redis -> redis.<T>eval(script, type, new String[] {key}, args).next());
  }

  /** Redis down: wait and try again, for as long as it takes (never call without the limits). */
  private Retry whileUnreachable() {
    return Retry.fixedDelay(Long.MAX_VALUE, UNREACHABLE_PAUSE)
        .doBeforeRetry(
            signal -> {
              if (waitingForRedis.getAndIncrement() % 20 == 0) {
                log.warn(
                    "Redis (REDIS_URL) did not answer; calls to the provider wait for it: {}",
                    signal.failure().toString());
              }
            });
  }

  @Override
  public void destroy() {
    connection.close();
  }
}
