/**
 * Generation tasks: submission, validation, the persistent queue, running against the provider,
 * live events.
 */
@NullMarked
package com.volcstudio.generation;

import org.jspecify.annotations.NullMarked;
