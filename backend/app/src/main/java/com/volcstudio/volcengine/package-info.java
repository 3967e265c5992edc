/** Talking to VolcEngine: request signing, the visual API client and its error codes. */
@NullMarked
package com.volcstudio.volcengine;

import org.jspecify.annotations.NullMarked;
