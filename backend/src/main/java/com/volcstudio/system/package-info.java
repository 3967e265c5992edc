/** Which providers the app talks to (demo or live mode) and the system information endpoint. */
@NullMarked
package com.volcstudio.system;

import org.jspecify.annotations.NullMarked;
