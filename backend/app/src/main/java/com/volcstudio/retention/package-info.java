/**
 * Retention: a scheduled cleanup that keeps history within MAX_HISTORY_DAYS and images within
 * MAX_STORAGE_GB, and removes uploaded reference images no task refers to.
 */
@NullMarked
package com.volcstudio.retention;

import org.jspecify.annotations.NullMarked;
