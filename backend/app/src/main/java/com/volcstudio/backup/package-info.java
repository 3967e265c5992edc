/**
 * Online backup and verified restore: a consistent snapshot of a running studio (the database by
 * H2's {@code BACKUP}, the images, thumbnails and uploads) with a manifest of counts and checksums,
 * and a restore into an empty {@code DATA_DIR} that checks all of it first.
 */
@NullMarked
package com.volcstudio.backup;

import org.jspecify.annotations.NullMarked;
