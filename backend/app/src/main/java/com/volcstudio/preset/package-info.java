/** Parameter presets: named generation settings a user saves and loads again. */
@NullMarked
package com.volcstudio.preset;

import org.jspecify.annotations.NullMarked;
