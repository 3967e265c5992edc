/** How the app reaches its H2 database: R2DBC, with every statement kept off the event loop. */
@NullMarked
package com.volcstudio.database;

import org.jspecify.annotations.NullMarked;
