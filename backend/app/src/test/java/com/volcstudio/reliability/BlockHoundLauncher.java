package com.volcstudio.reliability;

import com.volcstudio.StudioApplication;
import java.time.Duration;
import java.util.Arrays;
import java.util.Queue;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;
import reactor.core.publisher.Mono;

/**
 * Starts the app with BlockHound installed, in its own JVM (BlockHound cannot be uninstalled, so it
 * must not leak into the JVM that runs the other tests). A blocking call on a non-blocking thread
 * (Netty event loops, Reactor's parallel scheduler) is not thrown — that would change what the app
 * does under test — but printed as a {@value #MARKER} line with its stack, which the storm test
 * counts.
 */
public final class BlockHoundLauncher {

  static final String MARKER = "BLOCKING-CALL:";

  /**
   * Printed once BlockHound has caught a deliberate blocking call: proof that a count of 0 means
   * something.
   */
  static final String ACTIVE = "BLOCKHOUND-ACTIVE";

  private BlockHoundLauncher() {}

  public static void main(String[] args) {
    Queue<String> found = new ConcurrentLinkedQueue<>();
    AtomicBoolean selfTest = new AtomicBoolean(true);
    BlockHound.Builder builder = BlockHound.builder();
    // BlockHound.builder(), unlike BlockHound.install(), does not load the integrations that tell
    // it which threads
    // are non-blocking (Reactor's, Netty's): without them it would watch no thread at all.
    ServiceLoader.load(BlockHoundIntegration.class).stream()
        .map(ServiceLoader.Provider::get)
        .sorted()
        .forEach(builder::with);
    builder
        // Console logging: every reactive app writes its log lines from the thread that has
        // something to say.
        .allowBlockingCallsInside("ch.qos.logback.core.OutputStreamAppender", "subAppend")
        // Handing a statement to the database threads: the executor's queue takes a lock for the
        // instant of the offer (no I/O, never held while waiting for anything).
        .allowBlockingCallsInside("java.util.concurrent.ThreadPoolExecutor", "execute")
        // Jackson builds a type's deserializer once, under a short lock, and caches it.
        .allowBlockingCallsInside(
            "tools.jackson.databind.deser.DeserializerCache", "_createAndCacheValueDeserializer")
        .blockingMethodCallback(
            method ->
                found.add(
                    selfTest.get()
                        ? ACTIVE
                        : MARKER
                            + " "
                            + method
                            + " on "
                            + Thread.currentThread().getName()
                            + "\n\t"
                            + Arrays.stream(new Throwable().getStackTrace())
                                .skip(2)
                                .limit(30)
                                .map(String::valueOf)
                                .collect(Collectors.joining("\n\t"))))
        .install();
    Mono.delay(Duration.ofMillis(1)).doOnNext(tick -> sleep()).block();
    selfTest.set(false);
    // Printed from an ordinary thread: printing from the callback would itself block the event
    // loop.
    Thread reporter =
        new Thread(
            () -> {
              while (true) {
                for (String report; (report = found.poll()) != null; ) {
                  System.out.println(report);
                }
                try {
                  Thread.sleep(200);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "blockhound-reporter");
    reporter.setDaemon(true);
    reporter.start();
    StudioApplication.main(args);
  }

  private static void sleep() {
    try {
      Thread.sleep(1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
