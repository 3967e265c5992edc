package com.volcstudio.generation;

import com.volcstudio.database.Dialect;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Every task's lower-cased prompt in memory, so that a history search finds the few tasks with a
 * rare word without reading every row: a substring match ({@code LIKE '%…%'}) can use no index, and
 * H2 read all 100,000 rows for a word found in none (p99 412 ms). Scanning 100,000 short strings
 * with {@link String#indexOf} takes 1–2 ms. Its matches only narrow the query ({@link
 * TaskFilter#among}): filters, the prompt match itself, order, paging and counts stay in SQL, so a
 * search answers exactly what it answered before, and a task deleted from the table can never come
 * back from here.
 *
 * <p>Not persisted: it is read from the table in the background after start-up (2–3 s per 100,000
 * tasks on a busy 2-core machine), so a restart or a crash needs no repair; until then, searches
 * read the table as before. The app's own writes keep it in step: a task is queued to it before its
 * row is inserted (no search after that can miss it), and dropped once its row is deleted. Rows
 * written around the app (a restore, a test seeding the table) show in the table's row count, which
 * every search compares with what the index was told: more rows than that and it is read again.
 *
 * <p>All its state lives on one thread of its own: no locks, and the scans stay off the event loop.
 */
@Component
class PromptIndex implements DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(PromptIndex.class);

  /**
   * More matches than this and the index is not used: reading thousands of rows by id costs more
   * than the ordered scan, which stops after a page of matches when they are that common.
   */
  static final int MAX_CANDIDATES = 1_000;

  /** Rows read per query while loading. */
  private static final int BATCH = 2_000;

  /** Heap per prompt besides its characters: two longs, a reference, a String and its array. */
  private static final int OVERHEAD_BYTES = 64;

  private enum State {
    /** Being read from the table: searches read the table. */
    LOADING,
    READY,
    /** Turned off, or it outgrew SEARCH_INDEX_MAX_MB: searches read the table. */
    OFF
  }

  private final DatabaseClient db;
  private final String countAll;
  private final long maxBytes;
  private final Scheduler worker = Schedulers.newSingle("prompt-index", true);

  // Read and written on the worker thread only.
  private long[] high = new long[0];
  private long[] low = new long[0];
  private String[] prompts = new String[0];
  private int size;
  private long bytes;

  /** Deleted since the last compaction: skipped by searches until then. */
  private final Set<UUID> removed = new HashSet<>();

  /** Added by a submit while loading: the load must not add them a second time. */
  private final Set<UUID> addedWhileLoading = new HashSet<>();

  /** How many rows the table holds by what the index was told (more while an insert is on). */
  private long expected;

  private State state;

  /** The load in progress: a later one supersedes it. */
  private int load;

  // For the gauges, which are read on other threads.
  private volatile int published;
  private volatile long publishedBytes;
  private volatile boolean ready;

  PromptIndex(
      DatabaseClient db, Dialect dialect, SearchProperties properties, MeterRegistry registry) {
    this.db = db;
    this.countAll = TaskRepository.countAllSql(dialect);
    this.maxBytes = properties.indexMaxMb() * 1024L * 1024L;
    this.state = maxBytes == 0 ? State.OFF : State.LOADING;
    Gauge.builder("studio.search.index.tasks", this, index -> index.published)
        .description("Prompts in the history search index")
        .register(registry);
    Gauge.builder("studio.search.index.bytes", this, index -> index.publishedBytes)
        .description("Heap the history search index takes, estimated")
        .baseUnit("bytes")
        .register(registry);
    Gauge.builder("studio.search.index.ready", this, index -> index.ready ? 1 : 0)
        .description("1 when history searches use the index, 0 while it loads or when it is off")
        .register(registry);
  }

  @EventListener(ApplicationReadyEvent.class)
  void loadAtStartUp() {
    rebuild()
        .subscribe(
            null,
            e -> log.warn("Could not load the search index; searches read the table instead", e));
  }

  /**
   * Forgets everything and reads every prompt from the table again; completes when done (or when a
   * later rebuild took over).
   */
  Mono<Void> rebuild() {
    if (maxBytes == 0) {
      return Mono.empty();
    }
    return Mono.fromCallable(this::restart).subscribeOn(worker).flatMap(this::loadAll);
  }

  /**
   * Empties the index and leaves it as a load that has just begun, without loading: what searches
   * meet after a restart. For tests; {@link #rebuild()} ends it.
   */
  Mono<Void> forget() {
    return Mono.fromRunnable(this::restart).subscribeOn(worker).then();
  }

  /**
   * The filter narrowed to the tasks whose prompt contains its query, when the index is ready and
   * they are few; otherwise the filter as it is.
   */
  Mono<TaskFilter> narrow(TaskFilter filter) {
    String query = filter.query();
    if (query == null || !ready) {
      return Mono.just(filter);
    }
    // Lower-cased as TaskFilter does for the LIKE.
    String needle = query.toLowerCase(Locale.ROOT);
    return db.sql(countAll)
        .map(row -> row.get("n", Long.class))
        .one()
        .publishOn(worker)
        .map(
            rows -> {
              List<String> ids = matches(needle, rows);
              return ids == null ? filter : filter.among(ids);
            })
        // Off the index's thread again: the page's queries must not wait behind other scans.
        .publishOn(Schedulers.parallel());
  }

  /**
   * Called before the task's row is inserted, so no search can miss it; if the insert fails the
   * entry is removed again (a leftover would only be a candidate that the SQL does not find).
   */
  Mono<Void> add(String taskId, String prompt) {
    return Mono.fromRunnable(
        () ->
            onWorker(
                () -> {
                  if (state == State.OFF) {
                    return;
                  }
                  UUID id = uuid(taskId);
                  if (id == null) {
                    turnOff(load, "cannot hold task id " + taskId + ", not a UUID");
                    return;
                  }
                  // The default locale, as H2's LOWER() (the generated prompt_lower) uses, in this
                  // JVM.
                  append(id, prompt.toLowerCase());
                  if (state == State.LOADING) {
                    addedWhileLoading.add(id);
                  }
                  expected++;
                }));
  }

  /** Called once the task's row is deleted. */
  Mono<Void> remove(String taskId) {
    return Mono.fromRunnable(
        () ->
            onWorker(
                () -> {
                  UUID id = state == State.OFF ? null : uuid(taskId);
                  if (id == null) {
                    return;
                  }
                  removed.add(id);
                  expected--;
                  if (state == State.READY && removed.size() > Math.max(1024, size / 8)) {
                    compact();
                  }
                }));
  }

  /**
   * Queued on the worker, which runs one thing at a time in order: every search queued after this
   * sees the change, and the caller (an insert, a delete) goes on without waiting for a scan.
   */
  private void onWorker(Runnable change) {
    try {
      worker.schedule(change);
    } catch (RejectedExecutionException shuttingDown) {
      // The app is stopping: no search will follow.
    }
  }

  @Override
  public void destroy() {
    worker.dispose();
  }

  private @Nullable List<String> matches(String needle, long rows) {
    if (state != State.READY) {
      return null;
    }
    if (rows > expected) {
      log.info(
          "The task table holds {} rows the search index was not told of; reading it again",
          rows - expected);
      loadAll(restart())
          .subscribe(
              null, e -> log.warn("Could not reload the search index; searches read the table", e));
      return null;
    }
    List<String> found = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      if (prompts[i].contains(needle)) {
        UUID id = new UUID(high[i], low[i]);
        if (removed.isEmpty() || !removed.contains(id)) {
          if (found.size() == MAX_CANDIDATES) {
            return null;
          }
          found.add(id.toString());
        }
      }
    }
    return found;
  }

  /** On the worker: empties the index for a new load and returns that load's number. */
  private int restart() {
    if (maxBytes == 0) {
      return load;
    }
    high = new long[0];
    low = new long[0];
    prompts = new String[0];
    size = 0;
    bytes = 0;
    removed.clear();
    addedWhileLoading.clear();
    state = State.LOADING;
    ready = false;
    published = 0;
    publishedBytes = 0;
    return ++load;
  }

  /** Reads the table in batches of {@link #BATCH} rows in id order (the primary key). */
  private Mono<Void> loadAll(int number) {
    long started = System.nanoTime();
    return batch(number, "")
        .expand(last -> last.isEmpty() ? Mono.empty() : batch(number, last))
        .then()
        .publishOn(worker)
        .then(Mono.<Void>fromRunnable(() -> finish(number, started)))
        .onErrorResume(
            e ->
                Mono.<Void>fromRunnable(() -> turnOff(number, "could not be read: " + e))
                    .subscribeOn(worker))
        .subscribeOn(worker);
  }

  /** The last id of this batch, or "" when the load is done or superseded. */
  private Mono<String> batch(int number, String after) {
    return db.sql(
            "SELECT id, prompt_lower FROM generation_task WHERE id > :after ORDER BY id LIMIT :n")
        .bind("after", after)
        .bind("n", BATCH)
        .map(
            row ->
                new String[] {row.get("id", String.class), row.get("prompt_lower", String.class)})
        .all()
        .collectList()
        .publishOn(worker)
        .map(
            rows -> {
              if (number != load || state != State.LOADING) {
                return "";
              }
              for (String[] row : rows) {
                UUID id = uuid(row[0]);
                if (id == null) {
                  turnOff(number, "cannot hold task id " + row[0] + ", not a UUID");
                  return "";
                }
                if (!addedWhileLoading.contains(id)) {
                  append(id, row[1] == null ? "" : row[1]);
                }
                if (state != State.LOADING) {
                  return "";
                }
              }
              return rows.size() < BATCH ? "" : rows.get(rows.size() - 1)[0];
            });
  }

  private void finish(int number, long started) {
    if (number != load || state != State.LOADING) {
      return;
    }
    compact();
    addedWhileLoading.clear();
    expected = size;
    state = State.READY;
    ready = true;
    log.info(
        "Search index: {} prompts ({} MB) loaded in {} ms",
        size,
        bytes / (1024 * 1024),
        (System.nanoTime() - started) / 1_000_000);
  }

  private void append(UUID id, String prompt) {
    if (size == prompts.length) {
      int capacity = Math.max(1024, size + size / 2);
      high = Arrays.copyOf(high, capacity);
      low = Arrays.copyOf(low, capacity);
      prompts = Arrays.copyOf(prompts, capacity);
    }
    high[size] = id.getMostSignificantBits();
    low[size] = id.getLeastSignificantBits();
    prompts[size] = prompt;
    size++;
    bytes += cost(prompt);
    published = size;
    publishedBytes = bytes;
    if (bytes > maxBytes) {
      turnOff(load, "needs more than SEARCH_INDEX_MAX_MB (" + maxBytes / (1024 * 1024) + " MB)");
    }
  }

  /** Drops the entries of deleted tasks. */
  private void compact() {
    if (removed.isEmpty()) {
      return;
    }
    int kept = 0;
    for (int i = 0; i < size; i++) {
      if (removed.contains(new UUID(high[i], low[i]))) {
        bytes -= cost(prompts[i]);
      } else {
        high[kept] = high[i];
        low[kept] = low[i];
        prompts[kept] = prompts[i];
        kept++;
      }
    }
    Arrays.fill(prompts, kept, size, null);
    size = kept;
    published = size;
    publishedBytes = bytes;
    removed.clear();
  }

  private void turnOff(int number, String reason) {
    if (number != load || state == State.OFF) {
      return;
    }
    restart();
    state = State.OFF;
    log.warn("The search index {}; history searches read the table instead", reason);
  }

  /** Heap an entry takes: compact strings keep one byte a character when all are Latin-1. */
  private static long cost(String prompt) {
    boolean latin1 = prompt.chars().allMatch(c -> c < 256);
    return OVERHEAD_BYTES + (long) prompt.length() * (latin1 ? 1 : 2);
  }

  /** Our ids are lower-case UUIDs (web.Ids), kept as two longs rather than 36-character strings. */
  private static @Nullable UUID uuid(String id) {
    try {
      UUID uuid = UUID.fromString(id);
      return uuid.toString().equals(id) ? uuid : null;
    } catch (IllegalArgumentException notAUuid) {
      return null;
    }
  }
}
