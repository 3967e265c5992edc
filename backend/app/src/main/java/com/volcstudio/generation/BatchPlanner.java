package com.volcstudio.generation;

import com.volcstudio.web.FieldViolation;
import com.volcstudio.web.InvalidRequestException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Turns a batch into its tasks and checks every one with the same rules as a single submit; a
 * problem names the task it is in ({@code prompts[3]}, {@code tasks[7].width}), and nothing is
 * stored unless all of them pass.
 */
@Component
class BatchPlanner {

  static final int MAX_TASKS = 100;

  private final GenerationValidator validator;

  BatchPlanner(GenerationValidator validator) {
    this.validator = validator;
  }

  List<ValidatedGeneration> plan(BatchRequest batch, GenerationInputs.Resolved inputs) {
    List<GenerateRequest> requests = expand(batch);
    List<FieldViolation> violations = new ArrayList<>();
    List<ValidatedGeneration> planned = new ArrayList<>();
    for (int i = 0; i < requests.size(); i++) {
      try {
        planned.add(validator.validate(requests.get(i), inputs));
      } catch (InvalidRequestException e) {
        String prefix = "tasks[" + i + "].";
        @SuppressWarnings("unchecked")
        List<FieldViolation> inner =
            (List<FieldViolation>) e.getBody().getProperties().get("errors");
        inner.forEach(v -> violations.add(new FieldViolation(prefix + v.field(), v.reason())));
      }
    }
    if (!violations.isEmpty()) {
      throw new InvalidRequestException(violations);
    }
    return planned;
  }

  private static List<GenerateRequest> expand(BatchRequest b) {
    boolean hasPrompts = b.prompts() != null && !b.prompts().isEmpty();
    boolean hasMatrix = b.prompt() != null;
    if (hasPrompts == hasMatrix) {
      throw new InvalidRequestException(
          "prompts", "send either prompts (one task each) or prompt with seeds and/or sizes");
    }
    List<GenerateRequest> requests = new ArrayList<>();
    if (hasPrompts) {
      for (String prompt : b.prompts()) {
        requests.add(request(b, prompt, null, b.width(), b.height()));
      }
    } else {
      List<Long> seeds =
          b.seeds() == null || b.seeds().isEmpty()
              ? java.util.Collections.singletonList(null)
              : b.seeds();
      List<BatchRequest.Size> sizes =
          b.sizes() == null || b.sizes().isEmpty()
              ? java.util.Collections.singletonList(null)
              : b.sizes();
      for (Long seed : seeds) {
        for (BatchRequest.Size size : sizes) {
          requests.add(
              request(
                  b,
                  b.prompt(),
                  seed,
                  size == null ? b.width() : Integer.valueOf(size.width()),
                  size == null ? b.height() : Integer.valueOf(size.height())));
        }
      }
    }
    if (requests.size() > MAX_TASKS) {
      throw new InvalidRequestException(
          hasPrompts ? "prompts" : "seeds",
          "makes " + requests.size() + " tasks; a batch holds at most " + MAX_TASKS);
    }
    return requests;
  }

  private static GenerateRequest request(
      BatchRequest b, String prompt, Long seed, Integer width, Integer height) {
    return new GenerateRequest(
        prompt,
        b.model(),
        width,
        height,
        b.numImages(),
        seed,
        b.steps(),
        b.scale(),
        b.negativePrompt(),
        b.options(),
        b.referenceImageIds(),
        b.presetId(),
        b.style(),
        null);
  }
}
