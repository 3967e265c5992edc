package com.volcstudio.preset;

import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/styles}: the built-in styles, for the UI's style picker. */
@RestController
class StyleController {

  record StyleList(List<Style> items) {}

  @GetMapping("/api/v1/styles")
  StyleList styles() {
    return new StyleList(Styles.all());
  }
}
