package com.volcstudio.generation;

/**
 * Why a task failed, for people: the upstream code, what the service said, and an explanation in
 * both languages.
 */
public record TaskError(
    String code, String upstreamMessage, String messageZh, String messageEn, boolean retryable) {}
