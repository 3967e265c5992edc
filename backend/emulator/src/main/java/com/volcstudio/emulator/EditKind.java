package com.volcstudio.emulator;

/**
 * What an editing req_key does to its input (PROTOCOL-2026-12 §1); {@link #NONE} for the keys that
 * generate.
 */
enum EditKind {
  NONE,
  /** {@code lens_nnsr2_pic_common}: twice the input's size. */
  UPSCALE,
  /**
   * {@code jimeng_i2i_seed3_tilesr_cvtob}: the long side to 4096 ({@code 4k}) or 8192 ({@code 8k}).
   */
  TILE_SR,
  /** {@code saliency_seg}: the subject cut out, transparency around it. */
  SALIENCY,
  /** Inpainting: image then mask, the masked part repainted from the prompt, or removed. */
  INPAINT,
  /** {@code i2i_outpainting}: the canvas extended by fractions per side and painted. */
  OUTPAINT
}
