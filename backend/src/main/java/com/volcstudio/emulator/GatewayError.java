package com.volcstudio.emulator;

/**
 * An error the OpenAPI gateway answers before the request reaches the service, in the
 * {@code ResponseMetadata.Error} envelope (PROTOCOL §4.2, codes §5.3). {@code codeN} is 0 where no
 * capture shows the numeric code; the envelope then leaves {@code CodeN} out rather than invent one.
 */
record GatewayError(int httpStatus, String code, int codeN, String message) {

  static GatewayError signatureMismatch(String why) {
    return new GatewayError(401, "SignatureDoesNotMatch", 0, "The request signature we calculated does not match the signature you provided. " + why);
  }

  static GatewayError invalidAccessKey(String accessKey) {
    return new GatewayError(401, "InvalidAccessKey", 100009, "The AccessKey " + accessKey + " does not exist.");
  }

  static GatewayError missingTimestamp() {
    return new GatewayError(400, "MissingRequestInfo", 100004, "The request is missing timestamp information.");
  }

  static GatewayError invalidAuthorization(String why) {
    return new GatewayError(400, "InvalidAuthorization", 100024, "Invalid 'Authorization' header: " + why);
  }

  static GatewayError unsigned() {
    return new GatewayError(400, "InvalidAuthorization", 100025, "The request is not signed.");
  }

  static GatewayError unknownAction(String action, String version) {
    return new GatewayError(404, "InvalidActionOrVersion", 0, "Could not find operation " + action + " for version " + version + ".");
  }
}
