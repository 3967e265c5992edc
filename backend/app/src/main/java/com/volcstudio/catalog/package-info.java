/**
 * The model catalog: which models exist, their limits, and how a requested size maps to upstream
 * parameters.
 */
@NullMarked
package com.volcstudio.catalog;

import org.jspecify.annotations.NullMarked;
