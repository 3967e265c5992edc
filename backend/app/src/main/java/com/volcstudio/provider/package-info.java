/**
 * The provider layer: how a catalog model's images are obtained from its upstream family. One
 * {@link com.volcstudio.provider.ImageProvider} per protocol family (visual sync {@code CVProcess},
 * visual async submit / poll / cancel, Ark images) builds the wire request from the catalog entry
 * and speaks the family's protocol through the {@code volcengine} clients; the task lifecycle in
 * {@code generation} only asks for images. Adding a model family or an operation means a catalog
 * entry plus at most one provider class here.
 */
@NullMarked
package com.volcstudio.provider;

import org.jspecify.annotations.NullMarked;
