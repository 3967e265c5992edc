package com.volcstudio.usage;

import org.jspecify.annotations.Nullable;

/**
 * The monthly image limit in force ({@code MONTHLY_IMAGE_QUOTA}, or what the settings dialog
 * changed it to), asked at every check so a change applies without a restart.
 */
public interface MonthlyImageLimit {

  /** Null (or 0 or less) = no limit. */
  @Nullable Integer monthlyImageLimit();
}
