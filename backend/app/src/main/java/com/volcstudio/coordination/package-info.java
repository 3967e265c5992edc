/**
 * What several replicas of the studio share beyond the database (issue 18): the provider account's
 * rate and concurrency, through Redis ({@code REDIS_URL}). Without Redis each limit holds for this
 * JVM alone, as on a single node. Depends on no feature.
 */
@NullMarked
package com.volcstudio.coordination;

import org.jspecify.annotations.NullMarked;
