package com.volcstudio.config;

/** This process's machine or container, by the name the environment gives it (no DNS lookup). */
public final class HostName {

  private HostName() {}

  /**
   * {@code HOSTNAME} when it is a plain name (letters, digits, {@code .}, {@code _}, {@code -}; at
   * most 60), usable in a file name and a claim holder alike; otherwise {@code studio}.
   */
  public static String of() {
    String name = System.getenv("HOSTNAME");
    return name != null && name.matches("[A-Za-z0-9._-]{1,60}") ? name : "studio";
  }
}
