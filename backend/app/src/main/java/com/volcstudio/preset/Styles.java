package com.volcstudio.preset;

import com.volcstudio.catalog.LocalizedText;
import java.util.List;
import java.util.Optional;

/**
 * The built-in styles a generate request may name ({@code style}); fixed, so they cannot be
 * deleted.
 */
public final class Styles {

  private static final List<Style> ALL =
      List.of(
          style(
              "photorealistic",
              "写实摄影",
              "Photorealistic",
              "，写实摄影风格，自然光，细节丰富",
              ", photorealistic photograph, natural light, rich detail"),
          style(
              "anime",
              "动漫",
              "Anime",
              "，日系动漫风格，线条干净，色彩明快",
              ", anime style, clean line art, vivid colours"),
          style(
              "ink_painting",
              "水墨画",
              "Ink painting",
              "，中国水墨画风格，留白，笔墨晕染",
              ", traditional Chinese ink wash painting, empty space, soft brush strokes"),
          style(
              "3d_render",
              "3D 渲染",
              "3D render",
              "，3D 渲染，柔和光影，精致材质",
              ", 3D render, soft global illumination, detailed materials"),
          style(
              "watercolor",
              "水彩",
              "Watercolour",
              "，水彩画风格，柔和晕染，纸张纹理",
              ", watercolour painting, soft washes, paper texture"),
          style(
              "oil_painting",
              "油画",
              "Oil painting",
              "，古典油画风格，厚涂笔触",
              ", classical oil painting, thick impasto brush strokes"),
          style(
              "cyberpunk",
              "赛博朋克",
              "Cyberpunk",
              "，赛博朋克风格，霓虹灯光，夜晚都市",
              ", cyberpunk style, neon lights, city at night"));

  private Styles() {}

  public static List<Style> all() {
    return ALL;
  }

  public static Optional<Style> find(String id) {
    return ALL.stream().filter(s -> s.id().equals(id)).findFirst();
  }

  private static Style style(
      String id, String nameZh, String nameEn, String phraseZh, String phraseEn) {
    return new Style(id, new LocalizedText(nameZh, nameEn), new LocalizedText(phraseZh, phraseEn));
  }
}
