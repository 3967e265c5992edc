package com.volcstudio.web;

/** Checks on free text users send (prompts, names) before it is stored or sent upstream. */
public final class Texts {

  /** The reason given for text {@link #isWellFormed} refuses. */
  public static final String MALFORMED =
      "contains a lone surrogate or a NUL character; send well-formed Unicode text";

  private Texts() {}

  /**
   * False for a lone UTF-16 surrogate (JSON allows {@code "\ud800"}, but it has no UTF-8 form, so
   * the upstream request could not carry it) and for NUL (which ends strings early in C-based tools
   * reading our files).
   */
  public static boolean isWellFormed(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == 0 || Character.isLowSurrogate(c)) {
        return false;
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
          return false;
        }
        i++;
      }
    }
    return true;
  }
}
