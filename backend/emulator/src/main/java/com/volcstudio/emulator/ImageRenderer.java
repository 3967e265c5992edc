package com.volcstudio.emulator;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.GraphicsEnvironment;
import java.awt.RenderingHints;
import java.awt.font.FontRenderContext;
import java.awt.geom.Ellipse2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.jspecify.annotations.Nullable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Paints a stand-in picture: colours and shapes drawn from the seed, the prompt written across it.
 * The same prompt, seed and size always give the same PNG bytes, so tests can compare images.
 */
final class ImageRenderer {

  /** Fonts tried first for the prompt, so Chinese text is legible when such a font is installed. */
  private static final List<String> PREFERRED_FONTS =
      List.of(
          "WenQuanYi Micro Hei",
          "WenQuanYi Zen Hei",
          "Noto Sans CJK SC",
          "Noto Sans SC",
          "Source Han Sans SC",
          "Droid Sans Fallback",
          "AR PL UMing CN",
          "DejaVu Sans");

  /**
   * Half the cores, at least one. The emulator stands in for a remote service, but its rendering
   * (100–300 ms of a core per 1024² image) runs in the app's process in demo mode and in tests: on
   * boundedElastic's twenty threads, fifty images at once starved the app's own threads of CPU and
   * its database writes took 400 ms (make bench). The same images, rendered on fewer threads, take
   * as long in total and leave the app a core.
   */
  private static final int THREADS = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);

  private final List<String> installedFonts;
  private final Scheduler scheduler =
      Schedulers.newBoundedElastic(THREADS, Integer.MAX_VALUE, "emulator-render", 60, true);

  ImageRenderer() {
    installedFonts =
        Arrays.asList(
            GraphicsEnvironment.getLocalGraphicsEnvironment().getAvailableFontFamilyNames());
  }

  /** Where rendering runs: CPU-bound, so never on an event loop, and on few threads (above). */
  Scheduler scheduler() {
    return scheduler;
  }

  void close() {
    scheduler.dispose();
  }

  byte[] renderPng(String prompt, long seed, int width, int height) {
    return render(prompt, seed, width, height, ImageFormat.PNG, null);
  }

  /** Paints and encodes one image; CPU-bound, so callers run it on {@link #scheduler()}. */
  byte[] render(
      String prompt,
      long seed,
      int width,
      int height,
      ImageFormat format,
      @Nullable Watermark watermark) {
    BufferedImage image = paint(prompt, seed, width, height);
    if (watermark != null) {
      Graphics2D g = image.createGraphics();
      try {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(
            RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        paintWatermark(g, watermark, width, height);
      } finally {
        g.dispose();
      }
    }
    return encode(image, format);
  }

  /** The stand-in picture itself, unencoded: what editing keys paint into their results. */
  BufferedImage paint(String prompt, long seed, int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      Random random = new Random(seed * 31 + prompt.hashCode());
      paintBackground(g, random, width, height);
      paintShapes(g, random, width, height);
      paintPrompt(g, prompt, seed, width, height);
    } finally {
      g.dispose();
    }
    return image;
  }

  /**
   * PNG keeps an alpha channel; JPEG has none, so a transparent image is flattened first (as the
   * service's URL output of a cut-out is, PROTOCOL-2026-12 §1e).
   */
  static byte[] encode(BufferedImage image, ImageFormat format) {
    BufferedImage toWrite = image;
    if (format == ImageFormat.JPEG && image.getColorModel().hasAlpha()) {
      toWrite = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
      Graphics2D g = toWrite.createGraphics();
      try {
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.drawImage(image, 0, 0, null);
      } finally {
        g.dispose();
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(toWrite, format == ImageFormat.PNG ? "png" : "jpg", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static void paintBackground(Graphics2D g, Random random, int width, int height) {
    Color from = Color.getHSBColor(random.nextFloat(), 0.55f, 0.95f);
    Color to = Color.getHSBColor(random.nextFloat(), 0.65f, 0.45f);
    g.setPaint(new GradientPaint(0, 0, from, width, height, to));
    g.fillRect(0, 0, width, height);
  }

  private static void paintShapes(Graphics2D g, Random random, int width, int height) {
    int shapes = 6 + random.nextInt(6);
    for (int i = 0; i < shapes; i++) {
      float hue = random.nextFloat();
      g.setColor(
          new Color(
              Color.HSBtoRGB(hue, 0.6f, 1f) & 0xffffff | (70 + random.nextInt(90)) << 24, true));
      double size = Math.min(width, height) * (0.15 + random.nextDouble() * 0.45);
      double x = random.nextDouble() * width - size / 2;
      double y = random.nextDouble() * height - size / 2;
      if (random.nextBoolean()) {
        g.fill(new Ellipse2D.Double(x, y, size, size));
      } else {
        g.setStroke(new BasicStroke((float) (size / 12)));
        g.draw(new RoundRectangle2D.Double(x, y, size, size * 0.7, size / 5, size / 5));
      }
    }
  }

  private void paintPrompt(Graphics2D g, String prompt, long seed, int width, int height) {
    int fontSize = Math.max(12, Math.min(width, height) / 16);
    Font font = fontFor(prompt, fontSize);
    g.setFont(font);
    double maxLineWidth = width * 0.84;
    List<String> lines = wrap(prompt, font, g.getFontRenderContext(), maxLineWidth, 6);
    int lineHeight = (int) (fontSize * 1.35);
    int boxHeight = lines.size() * lineHeight + fontSize;
    int boxY = height - boxHeight - height / 10;
    g.setColor(new Color(0, 0, 0, 120));
    g.fill(
        new RoundRectangle2D.Double(
            width * 0.05, boxY, width * 0.9, boxHeight, fontSize, fontSize));
    g.setColor(Color.WHITE);
    int y = boxY + fontSize / 2 + g.getFontMetrics().getAscent();
    for (String line : lines) {
      g.drawString(line, (int) (width * 0.08), y);
      y += lineHeight;
    }
    g.setFont(font.deriveFont(Math.max(10f, fontSize * 0.45f)));
    g.setColor(new Color(255, 255, 255, 200));
    g.drawString(
        "VolcEngine emulator · seed " + seed + " · " + width + "×" + height,
        (int) (width * 0.05),
        height - height / 30);
  }

  private void paintWatermark(Graphics2D g, Watermark watermark, int width, int height) {
    Font font = fontFor(watermark.text(), Math.max(10, Math.min(width, height) / 24));
    g.setFont(font);
    int textWidth = g.getFontMetrics().stringWidth(watermark.text());
    int margin = Math.max(4, Math.min(width, height) / 40);
    boolean right = watermark.corner() == 0 || watermark.corner() == 3;
    boolean bottom = watermark.corner() == 0 || watermark.corner() == 1;
    int x = right ? width - textWidth - margin : margin;
    int y = bottom ? height - margin : margin + g.getFontMetrics().getAscent();
    g.setColor(new Color(255, 255, 255, 230));
    g.drawString(watermark.text(), x, y);
  }

  private Font fontFor(String text, int size) {
    for (String family : PREFERRED_FONTS) {
      if (installedFonts.contains(family)) {
        Font font = new Font(family, Font.PLAIN, size);
        if (font.canDisplayUpTo(text) == -1) {
          return font;
        }
      }
    }
    return new Font(Font.SANS_SERIF, Font.PLAIN, size);
  }

  /** Breaks text into lines that fit, character by character, since CJK text has no spaces. */
  private static List<String> wrap(
      String text, Font font, FontRenderContext frc, double maxWidth, int maxLines) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      if (cp == '\n') {
        lines.add(line.toString());
        line.setLength(0);
        continue;
      }
      line.appendCodePoint(cp);
      if (font.getStringBounds(line.toString(), frc).getWidth() > maxWidth) {
        line.setLength(line.length() - Character.charCount(cp));
        lines.add(line.toString());
        line.setLength(0);
        line.appendCodePoint(cp);
      }
      if (lines.size() == maxLines) {
        String last = lines.get(maxLines - 1);
        lines.set(maxLines - 1, last.substring(0, Math.max(0, last.length() - 1)) + "…");
        return lines;
      }
    }
    if (!line.isEmpty()) {
      lines.add(line.toString());
    }
    return lines;
  }
}
