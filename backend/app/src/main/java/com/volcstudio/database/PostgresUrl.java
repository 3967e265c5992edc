package com.volcstudio.database;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * DATABASE_URL, {@code r2dbc:postgresql://host[:port]/database[?options]}, and the JDBC URL that
 * Flyway's migrations use for the same database. Anything else stops the start in one line that
 * says what is expected.
 */
public final class PostgresUrl {

  private static final String PREFIX = "r2dbc:postgresql://";

  private PostgresUrl() {}

  public static String jdbcOf(String databaseUrl) {
    if (!databaseUrl.startsWith(PREFIX)) {
      throw refused(databaseUrl, "must start with " + PREFIX);
    }
    URI uri;
    try {
      uri = new URI(databaseUrl.substring("r2dbc:".length()));
    } catch (URISyntaxException e) {
      throw refused(databaseUrl, "is not a URL: " + e.getReason());
    }
    if (uri.getHost() == null || uri.getPath() == null || uri.getPath().length() < 2) {
      throw refused(databaseUrl, "needs a host and a database name");
    }
    if (uri.getUserInfo() != null) {
      throw refused(
          databaseUrl,
          "must not hold the user or password: set DATABASE_USERNAME and DATABASE_PASSWORD");
    }
    return "jdbc:postgresql://"
        + uri.getHost()
        + (uri.getPort() > 0 ? ":" + uri.getPort() : "")
        + uri.getPath()
        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
  }

  private static IllegalArgumentException refused(String url, String why) {
    return new IllegalArgumentException(
        "DATABASE_URL "
            + why
            + " (for example r2dbc:postgresql://127.0.0.1:5432/studio), not '"
            + url.replaceAll("//[^/@]*@", "//***@")
            + "'");
  }
}
