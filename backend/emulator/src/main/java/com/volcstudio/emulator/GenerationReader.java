package com.volcstudio.emulator;

import java.util.List;
import java.util.Random;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Reads a visual request body into a {@link Generation}, checking it against its req_key's row in
 * {@link ReqKeyCatalog}. Refusals are {@link RejectedRequest}s carrying the code the service
 * answers. Decoding input images is CPU work: call this off the event loop.
 */
final class GenerationReader {

  private final Random seeds;

  GenerationReader(Random seeds) {
    this.seeds = seeds;
  }

  Generation read(JsonNode body, VisualAction action) {
    RequestFields fields = new RequestFields(body);
    String reqKey = fields.requiredString("req_key");
    ReqKeySpec spec =
        ReqKeyCatalog.find(reqKey)
            .orElseThrow(
                () -> new RejectedRequest(ServiceError.invalidArgs("unknown req_key " + reqKey)));
    if (!spec.servedBy(action)) {
      // No source shows this answer; 50200 is what the docs give for a request the service cannot
      // take as sent, and 3P gateways refuse 即梦 async keys on the sync path the same way (§3.3).
      throw new RejectedRequest(
          ServiceError.invalidArgs(
              "req_key "
                  + reqKey
                  + " is not served by "
                  + action.action()
                  + "; use "
                  + spec.actions().iterator().next().action()));
    }
    String prompt =
        spec.promptRequired()
            ? fields.requiredString("prompt")
            : fields.string("prompt").orElse("");
    spec.params().forEach(rule -> rule.check(fields));
    List<InputImage> inputs = spec.inputs().read(fields);
    ImageEdit edit =
        spec.edit() == EditKind.NONE ? null : ImageEdit.read(spec, fields, inputs, prompt);
    OutputSize size = edit != null ? edit.output() : spec.size().resolve(fields, inputs);
    // The key's rule has checked the type: an integer, or a number where the SDK sends a float.
    long seed =
        fields
            .number("seed")
            .map(Double::longValue)
            .filter(s -> s >= 0)
            .orElseGet(() -> (long) nextSeed());
    OutputOptions options =
        action == VisualAction.ASYNC ? OutputOptions.DEFAULT : OutputOptions.read(fields);
    return new Generation(
        spec,
        prompt,
        seed,
        size,
        edit != null ? edit.count() : count(spec, fields, prompt, inputs.size()),
        options,
        failure(spec, edit != null ? edit.instruction() + prompt : prompt),
        edit);
  }

  /**
   * 即梦4.x decides how many images to make (up to 15 − inputs) unless {@code force_single}; one here
   * unless a marker asks.
   */
  private static int count(ReqKeySpec spec, RequestFields fields, String prompt, int inputs) {
    if (spec.maxImages() == 1 || fields.bool("force_single").orElse(false)) {
      return 1;
    }
    int limit = Math.max(1, spec.maxImages() - inputs);
    return Math.max(1, Math.min(limit, PromptMarkers.imageCount(prompt).orElse(1)));
  }

  private static @Nullable ServiceError failure(ReqKeySpec spec, String prompt) {
    var marked = PromptMarkers.fault(prompt);
    if (marked.isPresent()) {
      return marked.get();
    }
    // An over-long prompt is accepted and fails while running (a 3P report for video, §3.3 "Prompt
    // limits").
    if (spec.promptMaxChars() > 0
        && prompt.codePointCount(0, prompt.length()) > spec.promptMaxChars()) {
      return ServiceError.inputRejected(
          "prompt is longer than " + spec.promptMaxChars() + " characters");
    }
    return null;
  }

  private synchronized int nextSeed() {
    return seeds.nextInt(1, Integer.MAX_VALUE);
  }
}
