package com.volcstudio.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.volcstudio.logging.LogRedactor.Syntax;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;
import tools.jackson.databind.json.JsonMapper;

class LogRedactorTests {

  static final String ACCESS_KEY = "AKLTredactortests0000000000000abcd";
  static final String SECRET_KEY = "cmVkYWN0b3ItdGVzdHMtc2VjcmV0/+key==";
  static final String SESSION_TOKEN = "STS2redactorTestsSessionToken0123456789";
  static final String ARK_KEY = "ark-redactor-tests-0123456789abcdef";
  static final String SIGNATURE =
      "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";

  final LogRedactor text = LogRedactor.forSyntax(Syntax.TEXT);
  final LogRedactor json = LogRedactor.forSyntax(Syntax.JSON);

  @BeforeAll
  static void configureKeys() {
    KnownSecrets.registerFrom(
        new MockEnvironment()
            .withProperty("volc.access-key", ACCESS_KEY)
            .withProperty("volc.secret-key", SECRET_KEY)
            .withProperty("volc.session-token", SESSION_TOKEN)
            .withProperty("ark.api-key", ARK_KEY));
  }

  @Test
  void masksTheConfiguredKeysWhereverTheyAppear() {
    String line =
        text.redact("secret=" + SECRET_KEY + " token " + SESSION_TOKEN + " (ark:" + ARK_KEY + ")");
    assertThat(line).isEqualTo("secret=**** token **** (ark:****)");
  }

  @Test
  void showsTheAccessKeyOnlyInItsMaskedForm() {
    assertThat(text.redact("key " + ACCESS_KEY + " rejected"))
        .isEqualTo("key AKLT****abcd rejected");
  }

  @Test
  void ignoresValuesTooShortToBeKeys() {
    KnownSecrets.register("abc", LogRedactor.MASK);
    assertThat(text.redact("abc")).isEqualTo("abc");
  }

  @Test
  void returnsACleanLineAsTheSameInstance() {
    String line = "task 42 completed in 1500 ms";
    assertThat(text.redact(line)).isSameAs(line);
  }

  @Test
  void looksForShapesOnlyFromTheFirstKeywordThatCanStartOne() {
    assertThat(
            LogRedactor.firstCandidate("com.volcstudio.generation.TaskRunner : task 42 completed"))
        .isEqualTo(-1);
    assertThat(LogRedactor.firstCandidate("sent Proxy-Authorization: x")).isEqualTo(11);
    assertThat(LogRedactor.firstCandidate("dump |0000abcd| 41")).isEqualTo(5);
    assertThat(text.redact("a long prefix without any keyword, then BEARER abcdefghijklmnop"))
        .endsWith("then BEARER ****");
  }

  @Test
  void masksAuthorizationHeadersInTheSpellingsLogsUse() {
    String hmac =
        "HMAC-SHA256 Credential=AKLTsomeoneelse00000000000wxyz/20260101/cn-north-1/cv/request, "
            + "SignedHeaders=content-type;host;x-date, Signature="
            + SIGNATURE;
    assertThat(text.redact("Authorization: " + hmac + "\r\nX-Date: 20260101T000000Z"))
        .isEqualTo("Authorization: ****\r\nX-Date: 20260101T000000Z");
    assertThat(
            text.redact(
                "headers=[Authorization:\""
                    + hmac
                    + "\", X-Security-Token:\"abcdefghijkl\", Host:\"h\"]"))
        .isEqualTo("headers=[Authorization:\"****\", X-Security-Token:\"****\", Host:\"h\"]");
    assertThat(text.redact("{authorization=[Bearer abcdefghijklmnop], accept=[*/*]}"))
        .isEqualTo("{authorization=[****], accept=[*/*]}");
    assertThat(text.redact("proxy-authorization = Basic dXNlcjpwYXNzd29yZA=="))
        .isEqualTo("proxy-authorization = ****");
  }

  @Test
  void masksSignaturesCredentialsAndBearerTokensOfKeysItWasNotGiven() {
    assertThat(
            text.redact(
                "expected Signature="
                    + SIGNATURE
                    + " for Credential=AKLTsomeoneelse00000000000wxyz/20260101"))
        .isEqualTo("expected Signature=**** for Credential=AKLT****wxyz/20260101");
    assertThat(text.redact("sent Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl to ark"))
        .isEqualTo("sent Bearer **** to ark");
  }

  @Test
  void replacesEveryRowOfAWiretapHexDump() {
    // A header is cut across rows and shown as hex there: no text pattern could find it, so rows go
    // whole.
    String request =
        "POST /?Action=CVProcess HTTP/1.1\r\nX-Security-Token: STS2someOtherTokenNotConfigured\r\n\r\n";
    String dump =
        "[id: 0x1234abcd] WRITE: 98B\n"
            + ByteBufUtil.prettyHexDump(Unpooled.copiedBuffer(request, StandardCharsets.UTF_8));

    String redacted = text.redact(dump);

    assertThat(redacted).doesNotContain("STS2some", "Token", "53 54 53 32", "POST /?Act");
    assertThat(redacted)
        .contains(
            "[id: 0x1234abcd] WRITE: 98B",
            "|00000000| **** hex dump redacted **** |",
            "+--------+");
    assertThat(redacted.lines().count()).isEqualTo(dump.lines().count());
  }

  @Test
  void masksInsideJsonStringsAndKeepsTheLineValidJson() throws Exception {
    JsonMapper mapper = JsonMapper.builder().build();
    String message =
        "request headers=[Authorization:\"HMAC-SHA256 Credential=AKLTsomeoneelse00000000000wxyz/x, Signature="
            + SIGNATURE
            + "\", X-Security-Token:\""
            + SESSION_TOKEN
            + "\"]\n"
            + ByteBufUtil.prettyHexDump(
                Unpooled.copiedBuffer(
                    "a \"quoted\" \\ body: secret sauce recipe", StandardCharsets.UTF_8))
            + "\ncaused by: key "
            + SECRET_KEY;
    String line = mapper.writeValueAsString(java.util.Map.of("message", message, "level", "DEBUG"));

    String redacted = json.redact(line);

    String parsed = mapper.readTree(redacted).path("message").asString();
    assertThat(parsed)
        .doesNotContain(
            SESSION_TOKEN, SECRET_KEY, SIGNATURE, "someoneelse", "secret sauce", "73 65 63");
    assertThat(parsed)
        .contains(
            "Authorization:\"****\"",
            "X-Security-Token:\"****\"",
            "hex dump redacted",
            "caused by: key ****");
  }
}
