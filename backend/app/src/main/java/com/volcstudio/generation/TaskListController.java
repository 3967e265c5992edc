package com.volcstudio.generation;

import com.volcstudio.account.Accounts;
import com.volcstudio.account.Scope;
import com.volcstudio.catalog.ModelCatalog;
import com.volcstudio.web.FieldViolation;
import com.volcstudio.web.Ids;
import com.volcstudio.web.InvalidRequestException;
import io.swagger.v3.oas.annotations.Parameter;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Lists of tasks: {@code /api/v1/tasks} (the queue and everything else, cursor-paged, for live
 * views) and {@code /api/v1/history} (the proposal's page/limit shape, with search and filters).
 */
@RestController
class TaskListController {

  static final int MAX_LIMIT = 100;

  private static final String USER_ID =
      "Admins: this user's tasks, or 'all' for everybody's, instead of their own (login on; a"
          + " member may name only themselves)";

  record TaskPage(List<TaskView> items, @Nullable String nextCursor) {}

  /**
   * At most this many matches are counted for a filtered or searched history's {@code total}
   * (beyond the rows before the page): a prompt search reads rows until it has counted them, so an
   * exact count of a common word would read the whole table on every page.
   */
  static final int COUNT_CAP = 500;

  /**
   * {@code next_cursor}: pass it as {@code cursor} for the next page (keyset paging, fast at any
   * depth). {@code total_capped}: true when counting stopped early, so {@code total} is a lower
   * bound (there are at least that many).
   */
  record HistoryPage(
      long total,
      int page,
      int limit,
      List<TaskView> items,
      @Nullable String nextCursor,
      boolean totalCapped) {}

  /** A history's {@code total}, and whether it is only a lower bound. */
  private record Total(long count, boolean capped) {}

  private final TaskRepository tasks;
  private final TaskReader reader;
  private final ModelCatalog catalog;
  private final PromptIndex index;
  private final Accounts accounts;

  TaskListController(
      TaskRepository tasks,
      TaskReader reader,
      ModelCatalog catalog,
      PromptIndex index,
      Accounts accounts) {
    this.tasks = tasks;
    this.reader = reader;
    this.catalog = catalog;
    this.index = index;
    this.accounts = accounts;
  }

  /** The filter narrowed to the caller's tasks, or an admin's choice of user. */
  private Mono<TaskFilter> owned(TaskFilter filter, @Nullable String userId) {
    return Scope.current()
        .flatMap(scope -> accounts.listedOwner(scope, userId))
        .map(owner -> filter.ownedBy(owner.orElse(null)));
  }

  @GetMapping("/api/v1/tasks")
  Mono<TaskPage> tasks(
      @RequestParam(required = false) @Nullable String status,
      @RequestParam(required = false) @Nullable String model,
      @RequestParam(defaultValue = "50") int limit,
      @RequestParam(required = false) @Nullable String cursor,
      @RequestParam(name = "batch_id", required = false) @Nullable String batchId,
      @RequestParam(required = false) @Nullable String from,
      @RequestParam(required = false) @Nullable String to,
      @Parameter(description = USER_ID) @RequestParam(name = "user_id", required = false)
          @Nullable String userId) {
    List<FieldViolation> violations = new ArrayList<>();
    if (batchId != null && !Ids.isId(batchId)) {
      violations.add(new FieldViolation("batch_id", "is not a batch id"));
    }
    TaskFilter filter =
        new TaskFilter(statuses(status, violations), model(model, violations), null, false, batchId)
            .createdBetween(instant("from", from, violations), instant("to", to, violations));
    checkRange(filter, violations);
    checkLimit(limit, violations);
    TaskCursor after = null;
    if (cursor != null) {
      after = TaskCursor.decode(cursor).orElse(null);
      if (after == null) {
        violations.add(new FieldViolation("cursor", "is not a cursor this API returned"));
      }
    }
    if (!violations.isEmpty()) {
      return Mono.error(new InvalidRequestException(violations));
    }
    TaskCursor start = after;
    return owned(filter, userId)
        .flatMap(mine -> tasks.page(mine, start, limit + 1).collectList())
        .flatMap(
            found -> {
              boolean more = found.size() > limit;
              List<Task> pageTasks = more ? found.subList(0, limit) : found;
              String next =
                  more
                      ? new TaskCursor(
                              pageTasks.get(limit - 1).createdAt(), pageTasks.get(limit - 1).id())
                          .encode()
                      : null;
              return reader.views(pageTasks).map(views -> new TaskPage(views, next));
            });
  }

  @GetMapping("/api/v1/history")
  Mono<HistoryPage> history(
      @RequestParam(defaultValue = "1") int page,
      @RequestParam(defaultValue = "20") int limit,
      @RequestParam(required = false) @Nullable String q,
      @RequestParam(required = false) @Nullable String model,
      @RequestParam(required = false) @Nullable String status,
      @RequestParam(defaultValue = "false") boolean favourite,
      @RequestParam(required = false) @Nullable String from,
      @RequestParam(required = false) @Nullable String to,
      @RequestParam(required = false) @Nullable String cursor,
      @Parameter(description = "Only the edits made from this image (its family)")
          @RequestParam(name = "source_image_id", required = false)
          @Nullable String sourceImageId,
      @Parameter(description = USER_ID) @RequestParam(name = "user_id", required = false)
          @Nullable String userId) {
    List<FieldViolation> violations = new ArrayList<>();
    if (sourceImageId != null && !Ids.isId(sourceImageId)) {
      violations.add(new FieldViolation("source_image_id", "is not an image id"));
    }
    if (page < 1) {
      violations.add(new FieldViolation("page", "must be 1 or more"));
    }
    TaskCursor after = cursor(cursor, violations);
    checkLimit(limit, violations);
    String query = q == null || q.isBlank() ? null : q.strip();
    if (query != null && query.length() > 200) {
      violations.add(new FieldViolation("q", "must be at most 200 characters"));
    }
    List<TaskStatus> statuses =
        status == null
            ? List.of(TaskStatus.COMPLETED, TaskStatus.FAILED, TaskStatus.CANCELLED)
            : statuses(status, violations);
    TaskFilter filter =
        new TaskFilter(statuses, model(model, violations), query, favourite)
            .createdBetween(instant("from", from, violations), instant("to", to, violations))
            .editsOf(sourceImageId);
    checkRange(filter, violations);
    if (!violations.isEmpty()) {
      return Mono.error(new InvalidRequestException(violations));
    }
    // A rare word: the prompt index names the few tasks that can match, so the SQL below reads
    // those rows instead of every row.
    return owned(filter, userId)
        .flatMap(index::narrow)
        .flatMap(narrowed -> history(narrowed, after, page, limit));
  }

  private Mono<HistoryPage> history(
      TaskFilter filter, @Nullable TaskCursor after, int page, int limit) {
    // With a cursor, the page starts after it (keyset); without, page × limit rows are skipped
    // (OFFSET).
    long offset = after != null ? 0 : (long) (page - 1) * limit;
    var found =
        after != null
            ? tasks.page(filter, after, limit + 1)
            : tasks.offsetPage(filter, offset, limit + 1);
    // The unfiltered history's exact count does not depend on the page: both are asked at once.
    Mono<Optional<Total>> exact =
        filter.allFinished()
            ? tasks.count(filter).map(n -> Optional.of(new Total(n, false)))
            : Mono.just(Optional.empty());
    return found
        .collectList()
        .zipWith(exact)
        .flatMap(
            result -> {
              List<Task> rows = result.getT1();
              boolean more = rows.size() > limit;
              List<Task> pageTasks = more ? rows.subList(0, limit) : rows;
              String next = more ? TaskCursor.after(pageTasks.get(limit - 1)).encode() : null;
              Mono<Total> total =
                  result
                      .getT2()
                      .map(Mono::just)
                      .orElseGet(() -> total(filter, after, offset, pageTasks.size(), more));
              return total
                  .zipWith(reader.views(pageTasks))
                  .map(
                      counted ->
                          new HistoryPage(
                              counted.getT1().count(),
                              page,
                              limit,
                              counted.getT2(),
                              next,
                              counted.getT1().capped()));
            });
  }

  /**
   * The page is read first because it often answers the count by itself: an offset page that is the
   * last one ends at offset + its rows, which spares a search for a rare word its second scan of
   * every row. Otherwise at most {@link #COUNT_CAP} matches past the page's start are counted.
   */
  private Mono<Total> total(
      TaskFilter filter, @Nullable TaskCursor after, long offset, int rows, boolean more) {
    if (after == null && !more && (rows > 0 || offset == 0)) {
      return Mono.just(new Total(offset + rows, false));
    }
    long cap = offset + rows + COUNT_CAP;
    return tasks
        .countUpTo(filter, cap + 1)
        .map(n -> n > cap ? new Total(cap, true) : new Total(Math.max(n, offset + rows), false));
  }

  private static @Nullable TaskCursor cursor(
      @Nullable String cursor, List<FieldViolation> violations) {
    if (cursor == null) {
      return null;
    }
    TaskCursor after = TaskCursor.decode(cursor).orElse(null);
    if (after == null) {
      violations.add(new FieldViolation("cursor", "is not a cursor this API returned"));
    }
    return after;
  }

  private static void checkLimit(int limit, List<FieldViolation> violations) {
    if (limit < 1 || limit > MAX_LIMIT) {
      violations.add(new FieldViolation("limit", "must be between 1 and " + MAX_LIMIT));
    }
  }

  /**
   * A {@code from}/{@code to} bound: an ISO-8601 instant ({@code 2026-11-28T10:00:00Z}, an offset
   * allowed) or a date, meaning that day's start in UTC.
   */
  private static @Nullable Instant instant(
      String field, @Nullable String value, List<FieldViolation> violations) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value.strip()).toInstant();
    } catch (DateTimeParseException notAnInstant) {
      try {
        return LocalDate.parse(value.strip()).atStartOfDay(ZoneOffset.UTC).toInstant();
      } catch (DateTimeParseException notADate) {
        violations.add(
            new FieldViolation(
                field, "must be an ISO-8601 time such as 2026-11-28T10:00:00Z, or a date"));
        return null;
      }
    }
  }

  private static void checkRange(TaskFilter filter, List<FieldViolation> violations) {
    if (filter.from() != null && filter.to() != null && !filter.from().isBefore(filter.to())) {
      violations.add(new FieldViolation("to", "must be after from"));
    }
  }

  private static List<TaskStatus> statuses(@Nullable String csv, List<FieldViolation> violations) {
    List<TaskStatus> statuses = new ArrayList<>();
    if (csv == null || csv.isBlank()) {
      return statuses;
    }
    for (String value : csv.split(",")) {
      try {
        statuses.add(TaskStatus.valueOf(value.strip().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        violations.add(
            new FieldViolation(
                "status",
                "'"
                    + value.strip()
                    + "' is not one of pending, running, completed, failed, cancelled"));
      }
    }
    return statuses;
  }

  private @Nullable String model(@Nullable String model, List<FieldViolation> violations) {
    if (model != null && catalog.find(model).isEmpty()) {
      violations.add(new FieldViolation("model", "unknown model '" + model + "'"));
    }
    return model;
  }
}
