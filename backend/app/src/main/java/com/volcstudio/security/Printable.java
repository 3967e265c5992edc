package com.volcstudio.security;

/** Text a client sent, made safe to log or show: no control characters, at most 100 of them. */
final class Printable {

  private Printable() {}

  static String of(String text) {
    StringBuilder safe = new StringBuilder(Math.min(text.length(), 100));
    text.codePoints()
        .limit(100)
        .forEach(c -> safe.appendCodePoint(Character.isISOControl(c) ? '?' : c));
    return text.codePointCount(0, text.length()) > 100 ? safe + "…" : safe.toString();
  }
}
