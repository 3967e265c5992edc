/**
 * The web page and its assets when the backend serves them itself ({@code make run}, {@code
 * FRONTEND_DIR}); behind nginx these requests never reach it.
 */
@NullMarked
package com.volcstudio.frontend;

import org.jspecify.annotations.NullMarked;
