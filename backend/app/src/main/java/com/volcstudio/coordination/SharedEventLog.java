package com.volcstudio.coordination;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.XReadArgs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * One ordered log of events for every replica (issue 18): a Redis stream. A replica appends what it
 * has to say; every replica, itself included, follows the stream and hands each entry to its own
 * subscribers, so all of them see every event in one order under one id, whichever replica they are
 * connected to. The stream keeps about the last {@value #MAX_LENGTH} entries. Only replicas of one
 * studio share it ({@link RedisClients#cluster()}); without Redis and PostgreSQL there is no log:
 * {@link #shared()} is false.
 */
@Component
public class SharedEventLog implements DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(SharedEventLog.class);

  static final int MAX_LENGTH = 10_000;

  /** How long one read waits for new entries before asking again (a dead connection shows). */
  private static final Duration BLOCK = Duration.ofSeconds(5);

  private final @Nullable RedisClient client;
  private final String key;
  private final LazyConnection writer;

  /** The reader's own: a blocked XREAD holds its connection, which must not delay the appends. */
  private final LazyConnection reader;

  SharedEventLog(RedisClients clients) {
    this.writer = new LazyConnection(clients);
    this.reader = new LazyConnection(clients);
    String cluster = clients.cluster();
    this.client = cluster == null ? null : clients.client();
    this.key = cluster + ":events";
  }

  /** An entry of the log: its id (growing) and its fields. */
  public record Entry(long id, Map<String, String> fields) {}

  public boolean shared() {
    return client != null;
  }

  /** Appends {@code fields}; the id the entry got. */
  public Mono<Long> append(Map<String, String> fields) {
    return writer
        .reactive()
        .flatMap(
            redis ->
                redis.xadd(
                    key, XAddArgs.Builder.maxlen(MAX_LENGTH).approximateTrimming(true), fields))
        .map(SharedEventLog::id);
  }

  /**
   * The last {@code backlog} entries, oldest first, then every later one as it comes, for as long
   * as it is subscribed; a lost connection is opened again and the reading goes on where it
   * stopped.
   */
  public Flux<Entry> follow(int backlog) {
    AtomicReference<@Nullable String> last = new AtomicReference<>();
    return Flux.defer(() -> last.get() == null ? backlog(backlog, last) : next(last))
        .repeat()
        .retryWhen(
            Retry.fixedDelay(Long.MAX_VALUE, Duration.ofSeconds(1))
                .doBeforeRetry(
                    failure ->
                        log.warn(
                            "Reading the shared event log failed, trying again: {}",
                            failure.failure().toString())));
  }

  private Flux<Entry> backlog(int count, AtomicReference<@Nullable String> last) {
    return reader
        .reactive()
        .flatMapMany(redis -> redis.xrevrange(key, Range.create("-", "+"), Limit.from(count)))
        .collectList()
        .flatMapMany(
            newestFirst -> {
              List<StreamMessage<String, String>> entries = new ArrayList<>(newestFirst);
              Collections.reverse(entries);
              // From the start when the stream is empty: what is appended meanwhile is read next.
              last.set(entries.isEmpty() ? "0-0" : entries.get(entries.size() - 1).getId());
              return Flux.fromIterable(entries).map(SharedEventLog::entry);
            });
  }

  private Flux<Entry> next(AtomicReference<@Nullable String> last) {
    return reader
        .reactive()
        .flatMapMany(
            redis ->
                redis.xread(
                    XReadArgs.Builder.block(BLOCK).count(500),
                    XReadArgs.StreamOffset.from(key, Objects.requireNonNull(last.get()))))
        .doOnNext(message -> last.set(message.getId()))
        .map(SharedEventLog::entry);
  }

  private static Entry entry(StreamMessage<String, String> message) {
    return new Entry(id(message.getId()), message.getBody());
  }

  /**
   * A stream id ({@code <milliseconds>-<sequence>}) as one number that orders alike: the
   * milliseconds times 1000 plus the sequence (more than 999 entries in one millisecond share the
   * last number). It stays below 2^53, so a browser's JavaScript holds it exactly.
   */
  static long id(String streamId) {
    int dash = streamId.indexOf('-');
    long millis = Long.parseLong(streamId.substring(0, dash));
    long sequence = Long.parseLong(streamId.substring(dash + 1));
    return millis * 1000 + Math.min(sequence, 999);
  }

  @Override
  public void destroy() {
    reader.close();
    writer.close();
  }
}
