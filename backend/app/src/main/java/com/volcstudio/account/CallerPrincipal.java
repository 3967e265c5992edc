package com.volcstudio.account;

/**
 * A logged-in principal that knows its account: {@link AccountDetails} (a password or a token) or
 * the security package's single-sign-on user.
 */
public interface CallerPrincipal {

  Caller caller();
}
