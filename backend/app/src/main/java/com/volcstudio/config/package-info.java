/** Application-wide settings: where data lives and how the database is reached. */
@NullMarked
package com.volcstudio.config;

import org.jspecify.annotations.NullMarked;
