/**
 * Where the bytes of images, thumbnails and uploads live: files under DATA_DIR (the default), or
 * the objects of one bucket of S3-compatible storage (S3_BUCKET, issue 18) that every replica
 * shares. Depends on no feature.
 */
@NullMarked
package com.volcstudio.storage;

import org.jspecify.annotations.NullMarked;
