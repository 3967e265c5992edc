package com.volcstudio.security;

import com.volcstudio.account.Accounts;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import org.springframework.web.server.WebSession;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The event streams that are open: how many each client holds, for the cap, and which were opened
 * with a login session, so that they end when that session does. Without this a stream opened
 * before a logout kept receiving every task event afterwards, kept alive by its heartbeats.
 *
 * <p>A session ends by logout (which invalidates it) or by expiry (APP_SESSION_TIMEOUT without a
 * request; a quiet event stream is no request). Both show in {@link WebSession#isExpired()} of the
 * session object the stream was opened with: the in-memory session store hands every request of a
 * session that same object, and neither reading it nor checking it counts as a use. So the
 * session-bound streams are checked once every {@link #SESSION_CHECK}, on a timer rather than on
 * each stream's heartbeat, which comes only every 15 s.
 *
 * <p>A stream opened by an account (with any of its credentials: session, Basic, token) also ends
 * when that account is disabled or deleted: the same check asks account.Accounts#active, which is
 * at most half a second old, so such a stream ends within a second of the change.
 */
@Component
class EventStreams implements DisposableBean {

  static final Duration SESSION_CHECK = Duration.ofMillis(500);

  /** One open stream. */
  static final class Stream {
    private final String client;
    private final @Nullable WebSession session;
    private final @Nullable String userId;
    private final Sinks.Empty<Void> end = Sinks.empty();

    private Stream(String client, @Nullable WebSession session, @Nullable String userId) {
      this.client = client;
      this.session = session;
      this.userId = userId;
    }

    /** Completes when the stream must end (its session ended). */
    Mono<Void> ended() {
      return end.asMono();
    }

    void end() {
      end.tryEmitEmpty();
    }
  }

  /** Open streams per client; a client with none has no entry, so this never outgrows them. */
  private final Map<String, Integer> perClient = new ConcurrentHashMap<>();

  /** Streams that end with their login: opened with a session or by an account. */
  private final Set<Stream> watched = ConcurrentHashMap.newKeySet();

  private final Accounts accounts;
  private final Disposable sessionCheck;

  EventStreams(Accounts accounts) {
    this.accounts = accounts;
    this.sessionCheck = Flux.interval(SESSION_CHECK).subscribe(tick -> endStreamsWhoseLoginEnded());
  }

  /**
   * Takes one of {@code client}'s {@code max} places; null when it holds them all. A stream opened
   * with {@code session} ends when the session does, one opened by the account {@code userId} when
   * the account is disabled or deleted. Every stream admitted must be given back with {@link
   * #release}.
   */
  @Nullable Stream admit(
      String client, int max, @Nullable WebSession session, @Nullable String userId) {
    boolean[] admitted = {false};
    perClient.compute(
        client,
        (key, open) -> {
          int count = open == null ? 0 : open;
          if (count >= max) {
            return open;
          }
          admitted[0] = true;
          return count + 1;
        });
    if (!admitted[0]) {
      return null;
    }
    Stream stream = new Stream(client, session, userId);
    if (session != null || userId != null) {
      watched.add(stream);
    }
    return stream;
  }

  void release(Stream stream) {
    watched.remove(stream);
    perClient.computeIfPresent(stream.client, (key, open) -> open <= 1 ? null : open - 1);
  }

  /** How many streams {@code client} holds open. */
  int openBy(String client) {
    return perClient.getOrDefault(client, 0);
  }

  private void endStreamsWhoseLoginEnded() {
    for (Stream stream : watched) {
      if (stream.session != null && stream.session.isExpired()) {
        end(stream);
      } else if (stream.userId != null) {
        accounts
            .active(stream.userId)
            .subscribe(
                active -> {
                  if (!active) {
                    end(stream);
                  }
                });
      }
    }
  }

  private void end(Stream stream) {
    watched.remove(stream);
    stream.end();
  }

  @Override
  public void destroy() {
    sessionCheck.dispose();
  }
}
