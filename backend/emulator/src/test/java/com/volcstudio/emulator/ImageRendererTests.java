package com.volcstudio.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ImageRendererTests {

  private final ImageRenderer renderer = new ImageRenderer();

  @Test
  void samePromptSeedAndSizeGiveTheSameBytes() {
    assertThat(renderer.renderPng("一只猫", 42, 320, 200))
        .isEqualTo(renderer.renderPng("一只猫", 42, 320, 200));
  }

  @Test
  void anotherSeedGivesAnotherImage() {
    assertThat(renderer.renderPng("一只猫", 42, 320, 200))
        .isNotEqualTo(renderer.renderPng("一只猫", 43, 320, 200));
  }

  @Test
  void rendersAPngOfTheRequestedSize() throws Exception {
    BufferedImage image =
        ImageIO.read(
            new ByteArrayInputStream(renderer.renderPng("a lighthouse at dusk", 7, 640, 360)));
    assertThat(image.getWidth()).isEqualTo(640);
    assertThat(image.getHeight()).isEqualTo(360);
  }
}
