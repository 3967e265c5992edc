/**
 * Accounts of a shared studio (issue 17): who may log in, with which role, budget and models, and
 * their personal API tokens. The security package authenticates against {@link Accounts}; the
 * controllers here are the admin's {@code /api/v1/users} and everybody's {@code /api/v1/tokens}.
 * With login off there is one implicit user and none of this is used.
 */
@NullMarked
package com.volcstudio.account;

import org.jspecify.annotations.NullMarked;
