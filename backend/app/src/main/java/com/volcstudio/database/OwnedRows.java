package com.volcstudio.database;

import org.jspecify.annotations.Nullable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;

/**
 * A statement narrowed to one owner's rows (issue 17), for the tables that keep an {@code
 * owner_id}: {@code sql} (ending in a WHERE clause), then {@code AND owner_id = :owner} with the
 * owner bound when one is named, then {@code tail}. Each package still writes its own statements.
 */
public final class OwnedRows {

  private OwnedRows() {}

  public static GenericExecuteSpec sql(DatabaseClient db, String sql, @Nullable String owner) {
    return sql(db, sql, owner, "");
  }

  public static GenericExecuteSpec sql(
      DatabaseClient db, String sql, @Nullable String owner, String tail) {
    return owner == null
        ? db.sql(sql + tail)
        : db.sql(sql + " AND owner_id = :owner" + tail).bind("owner", owner);
  }
}
