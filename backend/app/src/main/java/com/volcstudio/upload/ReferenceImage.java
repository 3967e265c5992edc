package com.volcstudio.upload;

import java.util.Base64;

/** An upload ready to send upstream: PNG or JPEG bytes (the only types the services accept). */
public record ReferenceImage(String mimeType, byte[] bytes) {

  /**
   * Plain base64, as the visual API's {@code binary_data_base64} wants it (no {@code data:} prefix,
   * docs/volcengine/PROTOCOL.md §5.2).
   */
  public String base64() {
    return Base64.getEncoder().encodeToString(bytes);
  }

  /**
   * {@code data:image/<png|jpeg>;base64,…}, Ark's form of an inline {@code image}
   * (docs/volcengine/PROTOCOL.md §6.3).
   */
  public String dataUrl() {
    return "data:" + mimeType + ";base64," + base64();
  }
}
