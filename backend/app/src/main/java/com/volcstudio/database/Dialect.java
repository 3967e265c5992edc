package com.volcstudio.database;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;

/**
 * Which database the studio runs on: the H2 file (the default) or PostgreSQL (DATABASE_URL, issue
 * 18). The few statements that differ ask here; everything else is written once, in SQL both take.
 */
public final class Dialect {

  private final boolean h2;

  /** From the R2DBC URL the environment set-up made (config.StudioEnvironmentPostProcessor). */
  @Autowired
  public Dialect(Environment environment) {
    this.h2 = h2(environment.getProperty("spring.r2dbc.url", ""));
  }

  private Dialect(boolean h2) {
    this.h2 = h2;
  }

  /** From an R2DBC URL (tests that make their own connection). */
  public static Dialect of(String r2dbcUrl) {
    return new Dialect(h2(r2dbcUrl));
  }

  private static boolean h2(String r2dbcUrl) {
    return !r2dbcUrl.startsWith("r2dbc:postgresql");
  }

  /** H2: index hints ({@code USE INDEX}), a file to compact, {@code BACKUP TO}. */
  public boolean h2() {
    return h2;
  }

  /**
   * The database's clock plus the milliseconds bound to {@code :millis}: replicas compare times
   * they wrote by one clock, whatever theirs say.
   */
  public String nowPlusMillis() {
    return h2
        ? "DATEADD(MILLISECOND, :millis, CURRENT_TIMESTAMP)"
        : "(CURRENT_TIMESTAMP + :millis * INTERVAL '1 millisecond')";
  }

  /** {@code hint} on H2, nothing on PostgreSQL (whose planner takes no hints). */
  public String indexHint(String hint) {
    return h2 ? hint : "";
  }
}
