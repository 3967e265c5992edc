package com.volcstudio;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The official SDK's signing vectors, a test resource ({@code volcengine/signing-vectors.json}; the
 * README beside it says where they come from).
 */
public final class SigningVectors {

  private static final String RESOURCE = "/volcengine/signing-vectors.json";

  private SigningVectors() {}

  public static List<JsonNode> cases() throws IOException {
    List<JsonNode> cases = new ArrayList<>();
    try (InputStream in = SigningVectors.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the test resources");
      }
      JsonMapper.builder().build().readTree(in).get("cases").forEach(cases::add);
    }
    return cases;
  }
}
