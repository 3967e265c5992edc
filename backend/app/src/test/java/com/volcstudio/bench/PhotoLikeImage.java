package com.volcstudio.bench;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * A stand-in for a real model output when measuring bytes: the emulator's flat gradients and shapes
 * compress to ~130 KB of PNG at 1024², where real 1024² outputs are 1.5–2.5 MB because photographs
 * carry texture and sensor-like noise everywhere. This paints smooth colour fields and detail at
 * several scales (fractal value noise) plus per-pixel grain, which lands in that real range.
 */
final class PhotoLikeImage {

  /**
   * Amplitude kept from one octave to the next, half the size: natural images have about as much
   * contrast at every scale (a 1/f spectrum), so detail survives downscaling as it does in a photo.
   */
  private static final float PERSISTENCE = 0.75f;

  private static final int LEVELS = 7;

  private PhotoLikeImage() {}

  static byte[] png(int width, int height, long seed) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(paint(width, height, seed), "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static BufferedImage paint(int width, int height, long seed) {
    Random random = new Random(seed);
    // Objects: hard edges where a smooth field crosses a level, as where one thing ends in front of
    // another; each region gets its own colour.
    float[] regions = fractalNoise(width, height, random);
    float[] texture = fractalNoise(width, height, random);
    float[][] tints = new float[3][];
    for (int c = 0; c < 3; c++) {
      tints[c] = fractalNoise(width, height, random);
    }
    float[][] palette = new float[LEVELS][3];
    for (float[] colour : palette) {
      for (int c = 0; c < 3; c++) {
        colour[c] = random.nextFloat();
      }
    }
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int i = y * width + x;
        int level = Math.min(LEVELS - 1, (int) (stretch(regions[i]) * LEVELS));
        float shade = stretch(texture[i]);
        int rgb = 0;
        for (int c = 0; c < 3; c++) {
          float value = 0.45f * palette[level][c] + 0.4f * shade + 0.15f * stretch(tints[c][i]);
          int v = Math.round(value * 255 + (float) random.nextGaussian() * 2.5f);
          rgb = (rgb << 8) | Math.max(0, Math.min(255, v));
        }
        image.setRGB(x, y, rgb);
      }
    }
    return image;
  }

  /** Value noise bunches around 0.5; spread it over the whole range, as a photo's exposure does. */
  private static float stretch(float v) {
    return Math.max(0, Math.min(1, (v - 0.5f) * 2.5f + 0.5f));
  }

  /** Octaves of bilinear value noise, from a few blobs across the frame to 4-pixel detail. */
  private static float[] fractalNoise(int width, int height, Random random) {
    float[] sum = new float[width * height];
    float amplitude = 0.5f;
    float total = 0;
    for (int cell = Math.max(width, height) / 2; cell >= 4; cell /= 2) {
      int gw = width / cell + 2;
      int gh = height / cell + 2;
      float[] grid = new float[gw * gh];
      for (int i = 0; i < grid.length; i++) {
        grid[i] = random.nextFloat();
      }
      for (int y = 0; y < height; y++) {
        float gy = (float) y / cell;
        int y0 = (int) gy;
        float fy = smooth(gy - y0);
        for (int x = 0; x < width; x++) {
          float gx = (float) x / cell;
          int x0 = (int) gx;
          float fx = smooth(gx - x0);
          float top = lerp(grid[y0 * gw + x0], grid[y0 * gw + x0 + 1], fx);
          float bottom = lerp(grid[(y0 + 1) * gw + x0], grid[(y0 + 1) * gw + x0 + 1], fx);
          sum[y * width + x] += amplitude * lerp(top, bottom, fy);
        }
      }
      total += amplitude;
      amplitude *= PERSISTENCE;
    }
    for (int i = 0; i < sum.length; i++) {
      sum[i] /= total;
    }
    return sum;
  }

  private static float smooth(float t) {
    return t * t * (3 - 2 * t);
  }

  private static float lerp(float a, float b, float t) {
    return a + (b - a) * t;
  }
}
