package com.volcstudio.web;

import java.util.regex.Pattern;

/**
 * Our ids are lower-case UUIDs; anything else is answered 404/400 before it reaches a query or a
 * path.
 */
public final class Ids {

  private static final Pattern UUID =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  private Ids() {}

  public static boolean isId(String candidate) {
    return UUID.matcher(candidate).matches();
  }
}
