package com.volcstudio.preset;

import com.volcstudio.catalog.LocalizedText;

/**
 * A built-in style: a phrase added to the prompt, in the prompt's own language (the models read
 * Chinese and English; a Chinese prompt with an English tail reads worse than one in one language).
 */
public record Style(String id, LocalizedText name, LocalizedText phrase) {

  /** The prompt with this style's phrase after it. */
  public String applyTo(String prompt) {
    return prompt + (hasChinese(prompt) ? phrase.zh() : phrase.en());
  }

  private static boolean hasChinese(String text) {
    return text.codePoints()
        .anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN);
  }
}
