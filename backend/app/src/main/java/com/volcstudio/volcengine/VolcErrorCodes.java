package com.volcstudio.volcengine;

import java.util.Map;

/**
 * What each upstream code means for the user and whether to retry it. Sources:
 * docs/volcengine/PROTOCOL.md §5.1 (business codes on the image pages), §5.2 (common codes) and
 * §5.3 (gateway codes).
 */
public final class VolcErrorCodes {

  private record Meaning(UpstreamError.Retry retry, String zh, String en) {}

  private static final Map<String, Meaning> MEANINGS =
      Map.ofEntries(
          Map.entry(
              "50411",
              new Meaning(
                  UpstreamError.Retry.FINAL,
                  "输入图片未通过内容审核。",
                  "The input image did not pass content moderation.")),
          Map.entry(
              "50412",
              new Meaning(
                  UpstreamError.Retry.FINAL,
                  "提示词未通过内容审核，请修改后再试。",
                  "The prompt did not pass content moderation; change it and try again.")),
          Map.entry(
              "50413",
              new Meaning(
                  UpstreamError.Retry.FINAL,
                  "提示词包含敏感词或受版权保护的内容，请修改后再试。",
                  "The prompt contains sensitive or copyrighted terms; change it and try again.")),
          Map.entry(
              "50511",
              new Meaning(
                  UpstreamError.Retry.BOUNDED,
                  "生成的图片未通过内容审核，重试可能会成功。",
                  "The generated image did not pass moderation; a retry may succeed.")),
          Map.entry(
              // i2i_inpainting's "AI鬼脸": the result failed the service's own check
              // (PROTOCOL-2026-12 §1a). Only successful calls are billed, and the docs say it
              // happens now and then: a few retries are worth it.
              "201304",
              new Meaning(
                  UpstreamError.Retry.BOUNDED,
                  "局部编辑的结果未通过服务自身的质量检查（如出现异常人脸）。可重试，或换用即梦交互编辑、调整涂抹区域。",
                  "The edit's result failed the service's own quality check (e.g. a distorted face)."
                      + " Retry, or use Jimeng inpaint, or change the masked area.")),
          Map.entry(
              "50512",
              new Meaning(
                  UpstreamError.Retry.FINAL,
                  "生成的文本未通过内容审核。",
                  "The generated text did not pass moderation.")),
          Map.entry(
              "50519",
              new Meaning(
                  UpstreamError.Retry.BOUNDED,
                  "生成的图片未通过版权检查，重试可能会成功。",
                  "The generated image failed the copyright check; a retry may succeed.")),
          Map.entry(
              "50429",
              new Meaning(
                  UpstreamError.Retry.UNBILLED,
                  "已达到接口 QPS 限制，稍后会自动重试。",
                  "The API's requests-per-second limit was reached; it will be retried shortly.")),
          Map.entry(
              "50430",
              new Meaning(
                  UpstreamError.Retry.UNBILLED,
                  "已达到接口并发限制，稍后会自动重试。",
                  "The API's concurrency limit was reached; it will be retried shortly.")),
          Map.entry(
              "50500",
              new Meaning(
                  UpstreamError.Retry.UNBILLED, "火山引擎内部错误。", "VolcEngine had an internal error.")),
          Map.entry(
              "50501",
              new Meaning(
                  UpstreamError.Retry.UNBILLED,
                  "火山引擎内部算法服务错误。",
                  "VolcEngine's algorithm service had an internal error.")),
          Map.entry(
              "50200",
              new Meaning(
                  UpstreamError.Retry.FINAL, "请求参数无效。", "The request parameters are invalid.")),
          Map.entry(
              "50201",
              new Meaning(
                  UpstreamError.Retry.FINAL,
                  "请求缺少必要参数。",
                  "The request is missing a required parameter.")),
          Map.entry(
              "50204",
              new Meaning(
                  UpstreamError.Retry.FINAL,
                  "请求参数类型错误。",
                  "A request parameter has the wrong type.")),
          Map.entry(
              "50215",
              new Meaning(
                  UpstreamError.Retry.FINAL,
                  "输入不被该模型接受。",
                  "The input was rejected by this model.")),
          Map.entry(
              "50400",
              new Meaning(
                  UpstreamError.Retry.FINAL,
                  "没有调用该接口的权限：请确认已开通服务并授权。",
                  "Access denied: check that the service is activated and the key is authorised.")),
          Map.entry(
              "SignatureDoesNotMatch",
              new Meaning(
                  UpstreamError.Retry.FINAL,
                  "签名不匹配：请检查 Secret Key 是否正确、系统时钟是否准确。",
                  "Signature mismatch: check the secret key and the system clock.")),
          Map.entry(
              "InvalidAccessKey",
              new Meaning(
                  UpstreamError.Retry.FINAL,
                  "Access Key 不存在，请检查 VOLC_ACCESS_KEY。",
                  "The access key does not exist; check VOLC_ACCESS_KEY.")),
          Map.entry(
              "InvalidSecretToken",
              new Meaning(
                  UpstreamError.Retry.FINAL,
                  "STS 临时凭证无效或已过期。",
                  "The STS session token is invalid or expired.")),
          Map.entry(
              "AccessDenied",
              new Meaning(
                  UpstreamError.Retry.FINAL,
                  "该密钥无权调用此接口。",
                  "This key is not allowed to call the API.")),
          Map.entry(
              "FlowLimitExceeded",
              new Meaning(
                  UpstreamError.Retry.UNBILLED,
                  "网关限流，稍后会自动重试。",
                  "The gateway is throttling; it will be retried shortly.")),
          // Ark (方舟) codes, docs/volcengine/PROTOCOL.md §6.5.
          Map.entry(
              "AuthenticationError",
              new Meaning(
                  UpstreamError.Retry.FINAL,
                  "方舟 API Key 无效或缺失，请检查 ARK_API_KEY。",
                  "The Ark API key is missing or invalid; check ARK_API_KEY.")),
          Map.entry(
              "InputTextSensitiveContentDetected",
              new Meaning(
                  UpstreamError.Retry.FINAL,
                  "提示词未通过内容审核，请修改后再试。",
                  "The prompt did not pass content moderation; change it and try again.")),
          Map.entry(
              "InputImageSensitiveContentDetected",
              new Meaning(
                  UpstreamError.Retry.FINAL,
                  "参考图未通过内容审核。",
                  "The reference image did not pass content moderation.")),
          Map.entry(
              "OutputImageSensitiveContentDetected",
              new Meaning(
                  UpstreamError.Retry.BOUNDED,
                  "生成的图片未通过内容审核，重试可能会成功。",
                  "The generated image did not pass moderation; a retry may succeed.")),
          Map.entry(
              "SensitiveContentDetected",
              new Meaning(
                  UpstreamError.Retry.FINAL, "内容未通过审核。", "The content did not pass moderation.")),
          Map.entry(
              "ContentSecurityDetectionError",
              new Meaning(
                  UpstreamError.Retry.UNBILLED,
                  "内容审核服务出错，稍后会自动重试。",
                  "The moderation service failed; it will be retried.")),
          Map.entry(
              "InvalidParameter",
              new Meaning(UpstreamError.Retry.FINAL, "请求参数无效。", "A request parameter is invalid.")),
          Map.entry(
              "ModelNotOpen",
              new Meaning(
                  UpstreamError.Retry.FINAL,
                  "该模型尚未在方舟控制台开通。",
                  "This model is not activated in the Ark console.")),
          Map.entry(
              "AccountOverdueError",
              new Meaning(
                  UpstreamError.Retry.FINAL,
                  "账户欠费，请充值后再试。",
                  "The account is overdue; top it up and try again.")),
          Map.entry(
              "RateLimitExceeded",
              new Meaning(
                  UpstreamError.Retry.UNBILLED,
                  "已达到每分钟请求上限，稍后会自动重试。",
                  "The requests-per-minute limit was reached; it will be retried shortly.")),
          // Ark's 429s that a retry does not cure (3P transcriptions of 82379/1299023,
          // docs/volcengine/PROTOCOL-2026-12.md §3): the console's spending cap, and the free quota
          // used up.
          Map.entry(
              "SetLimitExceeded",
              new Meaning(
                  UpstreamError.Retry.FINAL,
                  "已达到方舟控制台设置的用量上限（安心体验模式），请在控制台调整后再试。",
                  "The usage cap set in the Ark console (safe experience mode) was reached; raise it"
                      + " there and try again.")),
          Map.entry(
              "QuotaExceeded",
              new Meaning(
                  UpstreamError.Retry.FINAL,
                  "方舟额度已用完（或排队任务过多），请在控制台查看后再试。",
                  "The Ark quota is used up (or too many tasks are queued); check the console and"
                      + " try again.")),
          Map.entry(
              "ServerOverloaded",
              new Meaning(
                  UpstreamError.Retry.UNBILLED,
                  "方舟服务繁忙，稍后会自动重试。",
                  "Ark is overloaded; it will be retried shortly.")),
          Map.entry(
              "InternalServiceError",
              new Meaning(UpstreamError.Retry.UNBILLED, "方舟内部错误。", "Ark had an internal error.")),
          Map.entry(
              "UPSTREAM_TASK_LOST",
              new Meaning(
                  UpstreamError.Retry.BOUNDED,
                  "火山引擎已找不到该异步任务（不存在或已超过 12 小时有效期），可重新提交。",
                  "VolcEngine no longer knows the asynchronous task (unknown, or past its 12-hour lifetime); submit it again.")),
          Map.entry(
              "SUBMIT_INTERRUPTED",
              new Meaning(
                  UpstreamError.Retry.BOUNDED,
                  "提交过程中应用被中断：火山引擎可能已接受该任务（若已生成会计费）。为避免重复付费，未自动重新提交；点击重试将重新提交。",
                  "The app stopped while submitting this task: VolcEngine may have accepted it (and bills it if it ran). It was not submitted again, so you are not charged twice; retry to submit it anew.")),
          Map.entry(
              "UPSTREAM_MALFORMED",
              new Meaning(
                  UpstreamError.Retry.UNBILLED,
                  "火山引擎返回了无法解析的响应，稍后会自动重试。",
                  "VolcEngine sent a response that could not be read; it will be retried.")),
          Map.entry(
              "UPSTREAM_TIMEOUT",
              new Meaning(
                  UpstreamError.Retry.UNBILLED, "火山引擎响应超时。", "VolcEngine did not answer in time.")),
          Map.entry(
              "UPSTREAM_CLOSED",
              new Meaning(
                  UpstreamError.Retry.UNBILLED,
                  "火山引擎未完成应答即断开了连接。",
                  "VolcEngine closed the connection before it answered.")),
          Map.entry(
              "UPSTREAM_UNREACHABLE",
              new Meaning(
                  UpstreamError.Retry.UNBILLED, "无法连接火山引擎。", "VolcEngine could not be reached.")),
          // Result links (image_urls): ours, not VolcEngine's codes.
          Map.entry(
              "RESULT_URL_REFUSED",
              new Meaning(
                  UpstreamError.Retry.FINAL,
                  "火山引擎返回的结果图片链接不是允许的地址（须为 VOLC_RESULT_URL_HOSTS 中域名的 https 链接），出于安全考虑没有下载。"
                      + "如果这是火山引擎新的结果域名，请把它加入 VOLC_RESULT_URL_HOSTS。",
                  "VolcEngine's answer pointed at a result image link outside the allowed addresses"
                      + " (https on a domain in VOLC_RESULT_URL_HOSTS), so it was not downloaded, for"
                      + " safety. If it is a new VolcEngine result domain, add it to"
                      + " VOLC_RESULT_URL_HOSTS.")),
          Map.entry(
              "RESULT_TOO_LARGE",
              new Meaning(
                  UpstreamError.Retry.FINAL,
                  "结果图片超过 VOLC_RESULT_MAX_MB 设定的大小上限，没有下载。",
                  "The result image is larger than VOLC_RESULT_MAX_MB allows, so it was not"
                      + " downloaded.")),
          Map.entry(
              "RESULT_FETCH_FAILED",
              new Meaning(
                  UpstreamError.Retry.BOUNDED,
                  "无法下载生成的图片（链接可能已过期，或网络中断），稍后会自动重试。",
                  "The generated image could not be downloaded (its link may have expired, or the"
                      + " network failed); it will be retried.")));

  private VolcErrorCodes() {}

  /**
   * Explains a code; an unknown one is retryable only when the HTTP status says the server failed.
   * Ark's dotted sub-codes (e.g. {@code RateLimitExceeded.FoundationModelRPMExceeded}) fall back to
   * their family.
   */
  public static UpstreamError describe(String code, String upstreamMessage, int httpStatus) {
    Meaning meaning = MEANINGS.get(code);
    if (meaning == null && code.contains(".")) {
      meaning = MEANINGS.get(code.substring(0, code.indexOf('.')));
    }
    if (meaning == null) {
      // A refusal the service answered with a 5xx or a 429 (e.g. Ark's
      // ModelAccountIpmRateLimitExceeded)
      // generated nothing, so nothing was billed: retried until the task's deadline.
      boolean serverSide = httpStatus >= 500 || httpStatus == 429;
      return new UpstreamError(
          code,
          upstreamMessage,
          httpStatus,
          serverSide ? UpstreamError.Retry.UNBILLED : UpstreamError.Retry.FINAL,
          "火山引擎返回错误 " + code + "：" + upstreamMessage,
          "VolcEngine answered " + code + ": " + upstreamMessage);
    }
    return new UpstreamError(
        code, upstreamMessage, httpStatus, meaning.retry(), meaning.zh(), meaning.en());
  }
}
