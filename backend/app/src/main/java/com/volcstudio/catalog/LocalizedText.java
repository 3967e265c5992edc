package com.volcstudio.catalog;

/** A text in both languages the UI speaks. */
public record LocalizedText(String zh, String en) {}
