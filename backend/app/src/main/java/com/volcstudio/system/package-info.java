/**
 * The system information endpoint and the storage health indicator: the top of the package graph,
 * reading from the features below it.
 */
@NullMarked
package com.volcstudio.system;

import org.jspecify.annotations.NullMarked;
