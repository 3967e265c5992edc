package com.volcstudio.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Download names: meaningful, and safe whatever the prompt or model id contains. */
class ImageFileNamesTests {

  @Test
  void aChinesePromptKeepsItsWordsInTheUtf8NameAndFallsBackToImageInAscii() {
    ImageFileNames.Name name = ImageFileNames.of(image("一只可爱的猫咪在阳光下", "general_v2.0", 42));
    assertThat(name.ascii()).isEqualTo("20261128-145326_general-v2.0_42_image.png");
    assertThat(name.unicode()).isEqualTo("20261128-145326_general-v2.0_42_一只可爱的猫咪在阳光下.png");
    assertThat(name.contentDisposition(false))
        .isEqualTo(
            "inline; filename=\"20261128-145326_general-v2.0_42_image.png\";"
                + " filename*=UTF-8''20261128-145326_general-v2.0_42_%E4%B8%80%E5%8F%AA%E5%8F%AF%E7%88%B1%E7%9A%84%E7%8C%AB"
                + "%E5%92%AA%E5%9C%A8%E9%98%B3%E5%85%89%E4%B8%8B.png");
  }

  @Test
  void pathsQuotesAndControlCharactersNeverReachAName() {
    ImageFileNames.Name name =
        ImageFileNames.of(image("../../etc/passwd \"\r\n; filename=evil.exe", "../model/x", 7));
    assertThat(name.ascii())
        .isEqualTo("20261128-145326_..-model-x_7_etc-passwd-filename-evil-exe.png");
    assertThat(name.unicode()).isEqualTo(name.ascii());
    assertThat(name.contentDisposition(true))
        .isEqualTo("attachment; filename=\"" + name.ascii() + "\"");
  }

  @Test
  void longPromptsAreCutAtAWholeCharacterAndARandomSeedIsSaid() {
    ImageFileNames.Name name = ImageFileNames.of(image("𝒜".repeat(10) + "猫".repeat(60), "m", -1));
    String slug =
        name.unicode().substring(name.unicode().lastIndexOf('_') + 1, name.unicode().length() - 4);
    assertThat(slug.codePointCount(0, slug.length())).isEqualTo(ImageFileNames.SLUG_LENGTH);
    assertThat(slug).startsWith("aaaaaaaaaa猫");
    assertThat(name.ascii()).isEqualTo("20261128-145326_m_random_aaaaaaaaaa.png");
  }

  @Test
  void accentsAreDroppedForTheAsciiName() {
    assertThat(ImageFileNames.asciiSlug("Crème brûlée, s'il vous plaît"))
        .isEqualTo("creme-brulee-s-il-vous-plait");
    assertThat(ImageFileNames.unicodeSlug("Crème brûlée!")).isEqualTo("crème-brûlée");
  }

  private static StoredImage image(String prompt, String model, long seed) {
    return new StoredImage(
        "5f0c6a1e-9d7b-4c1a-8f3e-2b6d4e8a9c10",
        "0b9a3f7e-1c2d-4e5f-8a9b-0c1d2e3f4a5b",
        0,
        seed,
        64,
        64,
        "image/png",
        1,
        1,
        Instant.parse("2026-11-28T14:53:26.123Z"),
        new ImageParameters(model, prompt, "", 64, 64, null, null, Map.of()));
  }
}
