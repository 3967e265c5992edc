/**
 * Reference images users upload: checked from their bytes, stored under our own ids, served back
 * and sent upstream.
 */
@NullMarked
package com.volcstudio.upload;

import org.jspecify.annotations.NullMarked;
