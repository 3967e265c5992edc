/** HTTP concerns shared by every feature: the problem+json error contract. */
@NullMarked
package com.volcstudio.web;

import org.jspecify.annotations.NullMarked;
