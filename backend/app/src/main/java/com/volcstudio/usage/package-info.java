/**
 * Usage statistics: tasks and images per day and month, per model, with estimated cost and the
 * quota.
 */
@NullMarked
package com.volcstudio.usage;

import org.jspecify.annotations.NullMarked;
