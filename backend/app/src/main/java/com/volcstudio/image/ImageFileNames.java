package com.volcstudio.image;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Names a downloaded image after how it was made: {@code <date>_<model>_<seed>_<prompt slug>.png}.
 * Every part is reduced to safe characters, so a name can never carry a path, a quote or a control
 * character. The prompt slug keeps letters of any script in the UTF-8 name ({@code filename*}) and
 * is transliterated to ASCII for the plain {@code filename} that older clients read.
 */
final class ImageFileNames {

  static final int SLUG_LENGTH = 40;
  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
  private static final Pattern NOT_LETTER_OR_DIGIT = Pattern.compile("[^\\p{L}\\p{N}]+");
  private static final Pattern NOT_ASCII_ALNUM = Pattern.compile("[^a-z0-9]+");
  private static final Pattern COMBINING_MARKS = Pattern.compile("\\p{M}+");
  private static final Pattern NOT_MODEL_CHAR = Pattern.compile("[^A-Za-z0-9.-]+");

  /** A name in two forms: what ASCII-only clients get, and the full UTF-8 one. */
  record Name(String ascii, String unicode) {

    Name withSuffix(String suffix) {
      return new Name(insert(ascii, suffix), insert(unicode, suffix));
    }

    private static String insert(String name, String suffix) {
      int dot = name.lastIndexOf('.');
      return name.substring(0, dot) + suffix + name.substring(dot);
    }

    /**
     * A Content-Disposition value (RFC 6266): the ASCII name, plus {@code filename*} when they
     * differ.
     */
    String contentDisposition(boolean attachment) {
      String header = (attachment ? "attachment" : "inline") + "; filename=\"" + ascii + "\"";
      return unicode.equals(ascii)
          ? header
          : header + "; filename*=UTF-8''" + percentEncode(unicode);
    }
  }

  private ImageFileNames() {}

  static Name of(StoredImage image) {
    return name(image, image.extension());
  }

  static Name thumbnailOf(StoredImage image) {
    return name(image, "_thumb.jpg");
  }

  private static Name name(StoredImage image, String ending) {
    String model = NOT_MODEL_CHAR.matcher(image.parameters().model()).replaceAll("-");
    String seed = image.seed() < 0 ? "random" : Long.toString(image.seed());
    String prefix = DATE.format(image.createdAt()) + "_" + model + "_" + seed + "_";
    String prompt = image.parameters().prompt();
    return new Name(prefix + asciiSlug(prompt) + ending, prefix + unicodeSlug(prompt) + ending);
  }

  /**
   * Letters and digits of any script, lower-cased, other runs of characters turned into one hyphen.
   */
  static String unicodeSlug(String text) {
    String slug =
        NOT_LETTER_OR_DIGIT
            .matcher(Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT))
            .replaceAll("-");
    return orImage(truncate(trimHyphens(slug)));
  }

  /** Accents dropped (é → e), anything else outside a–z and 0–9 turned into hyphens. */
  static String asciiSlug(String text) {
    String decomposed =
        COMBINING_MARKS.matcher(Normalizer.normalize(text, Normalizer.Form.NFKD)).replaceAll("");
    String slug = NOT_ASCII_ALNUM.matcher(decomposed.toLowerCase(Locale.ROOT)).replaceAll("-");
    return orImage(truncate(trimHyphens(slug)));
  }

  private static String truncate(String slug) {
    if (slug.codePointCount(0, slug.length()) <= SLUG_LENGTH) {
      return slug;
    }
    return trimHyphens(slug.substring(0, slug.offsetByCodePoints(0, SLUG_LENGTH)));
  }

  private static String trimHyphens(String slug) {
    int start = 0;
    int end = slug.length();
    while (start < end && slug.charAt(start) == '-') {
      start++;
    }
    while (end > start && slug.charAt(end - 1) == '-') {
      end--;
    }
    return slug.substring(start, end);
  }

  private static String orImage(String slug) {
    return slug.isEmpty() ? "image" : slug;
  }

  /**
   * RFC 5987 {@code value-chars}: attr-chars as they are, every other byte of the UTF-8 form as
   * %XX.
   */
  static String percentEncode(String value) {
    StringBuilder out = new StringBuilder();
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || "!#$&+-.^_`|~".indexOf(c) >= 0) {
        out.append((char) c);
      } else {
        out.append('%')
            .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }
}
