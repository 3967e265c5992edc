package com.volcstudio.emulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The async tasks written down as they are accepted, so that they outlive the process the way the
 * real service keeps them for 12 hours across a client's restarts. One JSON line per event ({@code
 * submit} or {@code forget}) appended to {@code async-tasks.jsonl}; at start the file is replayed
 * and rewritten with only the tasks still known. A task is rendered again from its generation
 * (prompt, seed, size), so no image bytes are stored.
 *
 * <p>The journal is read and written with blocking file calls: callers run {@link #append} and
 * {@link #forget} off the event loop. No fsync: a killed process loses nothing the kernel has, and
 * an emulator need not outlive its machine.
 */
final class TaskJournal {

  private static final Logger log = LoggerFactory.getLogger(TaskJournal.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();
  static final String FILE = "async-tasks.jsonl";

  private final Path file;

  TaskJournal(Path dir) {
    this.file = dir.resolve(FILE);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the emulator's state folder " + dir, e);
    }
  }

  /**
   * The tasks the journal holds that {@code stillKnown} keeps, in submission order; the file is
   * rewritten with exactly those. A line that cannot be read (a torn last write) is skipped.
   */
  List<AsyncTask> load(
      Function<AsyncTask, Boolean> stillKnown, Function<Generation, Mono<List<byte[]>>> render) {
    Map<String, AsyncTask> tasks = new LinkedHashMap<>();
    if (Files.exists(file)) {
      try {
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          replay(line, tasks, render);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
    }
    tasks.values().removeIf(task -> !stillKnown.apply(task));
    rewrite(tasks.values());
    if (!tasks.isEmpty()) {
      log.info("Emulator: {} async task(s) carried over from {}", tasks.size(), file);
    }
    return new ArrayList<>(tasks.values());
  }

  synchronized void append(AsyncTask task) {
    write(line(task), StandardOpenOption.APPEND);
  }

  synchronized void forget(String id) {
    ObjectNode event = JSON.createObjectNode().put("event", "forget").put("id", id);
    write(event + "\n", StandardOpenOption.APPEND);
  }

  private void rewrite(Iterable<AsyncTask> tasks) {
    StringBuilder text = new StringBuilder();
    tasks.forEach(task -> text.append(line(task)));
    Path temporary = file.resolveSibling(FILE + ".tmp");
    try {
      Files.writeString(temporary, text, StandardCharsets.UTF_8);
      Files.move(
          temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private void write(String text, StandardOpenOption mode) {
    try {
      Files.writeString(
          file,
          text,
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.WRITE,
          mode);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static String line(AsyncTask task) {
    Generation generation = task.generation();
    ObjectNode event =
        JSON.createObjectNode()
            .put("event", "submit")
            .put("id", task.id())
            .put("submitted_at", task.submittedAt().toString())
            .put("generation_ms", task.generationTime().toMillis())
            .put("req_key", generation.spec().reqKey())
            .put("prompt", generation.prompt())
            .put("seed", generation.seed())
            .put("width", generation.size().width())
            .put("height", generation.size().height())
            .put("count", generation.count())
            .put("return_url", generation.options().returnUrl());
    Watermark watermark = generation.options().watermark();
    if (watermark != null) {
      event.putObject("watermark").put("text", watermark.text()).put("corner", watermark.corner());
    }
    ImageEdit edit = generation.edit();
    if (edit != null) {
      edit.writeTo(event.putObject("edit"));
    }
    ServiceError failure = generation.failure();
    if (failure != null) {
      event
          .putObject("failure")
          .put("http_status", failure.httpStatus())
          .put("code", failure.code())
          .put("message", failure.message());
    }
    return event + "\n";
  }

  private static void replay(
      String line, Map<String, AsyncTask> tasks, Function<Generation, Mono<List<byte[]>>> render) {
    if (line.isBlank()) {
      return;
    }
    try {
      JsonNode event = JSON.readTree(line);
      String id = event.get("id").asString();
      if ("forget".equals(event.path("event").asString())) {
        tasks.remove(id);
        return;
      }
      ReqKeySpec spec = ReqKeyCatalog.find(event.get("req_key").asString()).orElse(null);
      if (spec == null) {
        return;
      }
      Generation generation =
          new Generation(
              spec,
              event.get("prompt").asString(),
              event.get("seed").asLong(),
              new OutputSize(event.get("width").asInt(), event.get("height").asInt()),
              event.get("count").asInt(),
              new OutputOptions(event.path("return_url").asBoolean(), watermark(event)),
              failure(event),
              event.has("edit") ? ImageEdit.readFrom(event.get("edit")) : null);
      tasks.put(
          id,
          new AsyncTask(
              id,
              generation,
              Instant.parse(event.get("submitted_at").asString()),
              Duration.ofMillis(event.get("generation_ms").asLong()),
              Mono.defer(() -> render.apply(generation)).cache()));
    } catch (RuntimeException e) {
      log.warn("Emulator: skipped an unreadable line of the task journal ({})", e.toString());
    }
  }

  private static @Nullable Watermark watermark(JsonNode event) {
    JsonNode mark = event.get("watermark");
    return mark == null
        ? null
        : new Watermark(mark.get("text").asString(), mark.get("corner").asInt());
  }

  private static @Nullable ServiceError failure(JsonNode event) {
    JsonNode failure = event.get("failure");
    return failure == null
        ? null
        : new ServiceError(
            failure.get("http_status").asInt(),
            failure.get("code").asInt(),
            failure.get("message").asString());
  }
}
