package com.volcstudio.catalog;

import java.util.List;

/** The operations a catalog model may serve; {@code generate} is every text-to-image model's. */
public final class Operations {

  public static final String GENERATE = "generate";
  public static final String INPAINT = "inpaint";
  public static final String ERASE = "erase";
  public static final String OUTPAINT = "outpaint";
  public static final String UPSCALE = "upscale";
  public static final String REMOVE_BACKGROUND = "remove_background";

  /** The editing operations, in the order the UI offers them. */
  public static final List<String> EDITS =
      List.of(INPAINT, ERASE, OUTPAINT, UPSCALE, REMOVE_BACKGROUND);

  private Operations() {}
}
