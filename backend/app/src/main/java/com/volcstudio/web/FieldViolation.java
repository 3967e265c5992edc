package com.volcstudio.web;

/** One thing wrong with a request: which field, and why, in words a user can act on. */
public record FieldViolation(String field, String reason) {}
