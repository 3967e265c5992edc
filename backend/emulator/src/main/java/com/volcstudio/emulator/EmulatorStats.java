package com.volcstudio.emulator;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the emulator has seen, for {@code GET /_emulator/stats}: crash tests read it to prove, for
 * example, that no upstream task was submitted twice. {@code duplicate_submissions} counts submits
 * whose body equals an earlier submit's byte for byte — a resubmission of the same work.
 */
final class EmulatorStats {

  private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> submissions = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> answers = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> arkAnswers = new ConcurrentHashMap<>();
  private final Set<String> taskIds = ConcurrentHashMap.newKeySet();
  private final Set<String> submittedBodies = ConcurrentHashMap.newKeySet();
  private final LongAdder duplicateSubmissions = new LongAdder();
  private final LongAdder imagesRendered = new LongAdder();

  void request(String action) {
    count(requests, action);
  }

  /** An accepted async submission, keyed by a digest of its exact body. */
  void submitted(String reqKey, String taskId, String bodyDigest) {
    count(submissions, reqKey);
    taskIds.add(taskId);
    if (!submittedBodies.add(bodyDigest)) {
      duplicateSubmissions.increment();
    }
  }

  /**
   * A visual answer: "10000", a service code such as "50429", or a gateway code such as
   * "SignatureDoesNotMatch".
   */
  void answered(String code) {
    count(answers, code);
  }

  /**
   * An Ark answer: "200" for success, else the error code such as
   * "RateLimitExceeded.EndpointRPMExceeded".
   */
  void arkAnswered(String code) {
    count(arkAnswers, code);
  }

  void rendered(int images) {
    imagesRendered.add(images);
  }

  Map<String, Object> snapshot() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("requests", sorted(requests));
    out.put("submissions", sorted(submissions));
    out.put("async_tasks_submitted", taskIds.size());
    out.put("duplicate_submissions", duplicateSubmissions.sum());
    out.put("answers", sorted(answers));
    out.put("ark_answers", sorted(arkAnswers));
    out.put("images_rendered", imagesRendered.sum());
    return out;
  }

  void reset() {
    requests.clear();
    submissions.clear();
    answers.clear();
    arkAnswers.clear();
    taskIds.clear();
    submittedBodies.clear();
    duplicateSubmissions.reset();
    imagesRendered.reset();
  }

  private static void count(Map<String, LongAdder> counters, String key) {
    counters.computeIfAbsent(key, k -> new LongAdder()).increment();
  }

  private static Map<String, Long> sorted(Map<String, LongAdder> counters) {
    Map<String, Long> out = new TreeMap<>();
    counters.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }
}
