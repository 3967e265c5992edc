/** Generated images: written once to disk, thumbnailed, recorded in the database and served. */
@NullMarked
package com.volcstudio.image;

import org.jspecify.annotations.NullMarked;
