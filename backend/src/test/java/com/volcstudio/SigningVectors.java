package com.volcstudio;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The official SDK's signing vectors, {@code shared/volcengine/signing-vectors.json}: found beside
 * the repository wherever the build runs (a developer's checkout or CI's clone), or at the path in
 * the system property {@code volc.signing-vectors}.
 */
public final class SigningVectors {

  private SigningVectors() {}

  public static List<JsonNode> cases() throws IOException {
    List<JsonNode> cases = new ArrayList<>();
    JsonMapper.builder()
        .build()
        .readTree(Files.readString(locate()))
        .get("cases")
        .forEach(cases::add);
    return cases;
  }

  private static Path locate() {
    String override = System.getProperty("volc.signing-vectors");
    if (override != null) {
      return Path.of(override);
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("shared/volcengine/signing-vectors.json");
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "shared/volcengine/signing-vectors.json not found above " + Path.of("").toAbsolutePath());
  }
}
