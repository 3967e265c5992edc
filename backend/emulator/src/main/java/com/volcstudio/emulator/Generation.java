package com.volcstudio.emulator;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A checked request to generate images: what to paint, how many, at what size.
 *
 * @param failure an error the service finds only while working (moderation, 50215, an injected
 *     fault): a synchronous call answers it, an async task ends {@code done} with it (§3.1 step 4)
 * @param edit what an editing key does to its input, or null for a generation
 */
record Generation(
    ReqKeySpec spec,
    String prompt,
    long seed,
    OutputSize size,
    int count,
    OutputOptions options,
    @Nullable ServiceError failure,
    @Nullable ImageEdit edit) {

  Optional<ServiceError> failed() {
    return Optional.ofNullable(failure);
  }

  Generation withOptions(OutputOptions newOptions) {
    return new Generation(spec, prompt, seed, size, count, newOptions, failure, edit);
  }
}
