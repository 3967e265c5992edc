/** Generated images: written once to disk, recorded in the database, thumbnailed and served. */
@NullMarked
package com.volcstudio.image;

import org.jspecify.annotations.NullMarked;
