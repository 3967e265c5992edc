package com.volcstudio.frontend;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which precompressed file a client's Accept-Encoding gets, whatever order it lists them in. */
class FrontendPageFilterTests {

  @Test
  void brotliIsTriedFirstWhereverTheClientListsIt() {
    // Chrome's and Firefox's header, and curl --compressed's.
    assertThat(FrontendPageFilter.preferredCodings("gzip, deflate, br, zstd"))
        .isEqualTo("br, gzip");
    assertThat(FrontendPageFilter.preferredCodings("deflate, gzip, br, zstd"))
        .isEqualTo("br, gzip");
  }

  @Test
  void onlyWhatTheClientTakes() {
    assertThat(FrontendPageFilter.preferredCodings("gzip, deflate")).isEqualTo("gzip");
    assertThat(FrontendPageFilter.preferredCodings("BR")).isEqualTo("br");
    assertThat(FrontendPageFilter.preferredCodings("deflate")).isEqualTo("identity");
  }

  @Test
  void qZeroRefusesACodingAndTheWildcardAcceptsTheRest() {
    assertThat(FrontendPageFilter.preferredCodings("br;q=0, gzip;q=0.5")).isEqualTo("gzip");
    assertThat(FrontendPageFilter.preferredCodings("gzip;q=0.000")).isEqualTo("identity");
    assertThat(FrontendPageFilter.preferredCodings("*")).isEqualTo("br, gzip");
    assertThat(FrontendPageFilter.preferredCodings("br;q=0, *")).isEqualTo("gzip");
  }
}
