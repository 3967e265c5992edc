package com.volcstudio.upload;

/**
 * An uploaded image taken apart at the byte level, without decoding its pixels: what its header
 * declares, a check of its pixel data, and the same image without its metadata (no re-encoding, so
 * nothing of the picture changes).
 */
sealed interface ImageFile permits PngFile, JpegFile, WebpFile {

  /** Parses the file's structure; a file that is not well formed is refused (400). */
  static ImageFile parse(ImageType type, byte[] bytes) {
    return switch (type) {
      case PNG -> PngFile.parse(bytes);
      case JPEG -> JpegFile.parse(bytes);
      case WEBP -> WebpFile.parse(bytes);
    };
  }

  ImageHeader header();

  /**
   * Checks the pixel data as far as this format allows without holding the pixels; call it only
   * once the header's decoded size is known to be acceptable.
   */
  void checkData();

  /**
   * The image without EXIF, XMP, text and other metadata (GPS position, camera, names, dates), and
   * without anything after its end; what is kept is what changes how it looks.
   */
  byte[] withoutMetadata();
}
