package com.volcstudio.audit;

import com.volcstudio.web.FieldViolation;
import com.volcstudio.web.InvalidRequestException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/v1/audit}: the audit log, newest first, for admins (the security chain keeps
 * members out), paged and filtered by action, actor and time.
 */
@RestController
class AuditController {

  static final int MAX_LIMIT = 200;
  private static final Pattern ACTION = Pattern.compile("[a-z]+(\\.[a-z_]+)+");

  /** One page of the log. */
  record AuditPage(List<AuditEvent> items, long total, int page, int limit) {}

  private final AuditRepository events;

  AuditController(AuditRepository events) {
    this.events = events;
  }

  @GetMapping("/api/v1/audit")
  Mono<AuditPage> audit(
      @RequestParam(name = "page", required = false) @Nullable Integer page,
      @RequestParam(name = "limit", required = false) @Nullable Integer limit,
      @RequestParam(name = "action", required = false) @Nullable String action,
      @RequestParam(name = "actor", required = false) @Nullable String actor,
      @RequestParam(name = "from", required = false) @Nullable String from,
      @RequestParam(name = "to", required = false) @Nullable String to) {
    List<FieldViolation> violations = new ArrayList<>();
    int p = page == null ? 1 : page;
    int l = limit == null ? 50 : limit;
    if (p < 1) {
      violations.add(new FieldViolation("page", "must be at least 1"));
    }
    if (l < 1 || l > MAX_LIMIT) {
      violations.add(new FieldViolation("limit", "must be 1–" + MAX_LIMIT));
    }
    if (action != null && !ACTION.matcher(action).matches()) {
      violations.add(
          new FieldViolation("action", "must look like user.changed (see the README's list)"));
    }
    if (actor != null && (actor.isBlank() || actor.length() > 200)) {
      violations.add(new FieldViolation("actor", "must be 1–200 characters"));
    }
    Instant fromInstant = instant("from", from, violations);
    Instant toInstant = instant("to", to, violations);
    if (!violations.isEmpty()) {
      return Mono.error(new InvalidRequestException(violations));
    }
    var filter = new AuditRepository.Filter(action, actor, fromInstant, toInstant);
    return Mono.zip(events.page(filter, p, l).collectList(), events.count(filter))
        .map(t -> new AuditPage(t.getT1(), t.getT2(), p, l));
  }

  private static @Nullable Instant instant(
      String field, @Nullable String value, List<FieldViolation> violations) {
    if (value == null) {
      return null;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      violations.add(
          new FieldViolation(field, "must be an ISO-8601 UTC time, e.g. 2026-12-01T00:00:00Z"));
      return null;
    }
  }
}
