package com.volcstudio.audit;

import com.volcstudio.web.RandomIds;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Records audited actions. The actor is whoever the request is authenticated as; the address is the
 * one the security package resolved ({@link #ADDRESS}, in the Reactor context). A failed write is
 * logged and does not undo or fail the action it describes, which has happened already.
 */
@Service
public class AuditLog {

  /** Reactor context key under which the client's address travels (a String). */
  public static final String ADDRESS = "audit.client-address";

  static final String ANONYMOUS = "anonymous";

  private static final Logger log = LoggerFactory.getLogger(AuditLog.class);

  private final AuditRepository events;
  private final Clock clock = Clock.systemUTC();
  private final RandomIds ids = new RandomIds();

  AuditLog(AuditRepository events) {
    this.events = events;
  }

  /** An action of the request's own user. */
  public Mono<Void> record(String action, @Nullable String target, @Nullable String detail) {
    return ReactiveSecurityContextHolder.getContext()
        .mapNotNull(context -> context.getAuthentication())
        .filter(Authentication::isAuthenticated)
        .map(Authentication::getName)
        .defaultIfEmpty(ANONYMOUS)
        .flatMap(actor -> recordAs(actor, action, target, detail));
  }

  /** An action whose actor is not (or not yet) authenticated: a login attempt names its user. */
  public Mono<Void> recordAs(
      String actor, String action, @Nullable String target, @Nullable String detail) {
    return Mono.deferContextual(
        context -> {
          String address = context.getOrDefault(ADDRESS, "unknown");
          AuditEvent event =
              new AuditEvent(
                  ids.next(),
                  clock.instant().truncatedTo(ChronoUnit.MILLIS),
                  clip(actor, 200),
                  action,
                  target == null ? null : clip(target, 200),
                  clip(address, 64),
                  detail == null ? null : clip(detail, 1000));
          return events
              .insert(event)
              .onErrorResume(
                  e -> {
                    log.warn("could not record the audit event {}", action, e);
                    return Mono.empty();
                  });
        });
  }

  private static String clip(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max);
  }
}
