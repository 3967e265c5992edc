/**
 * The audit log (issue 17): logins, account, token, key and settings changes, each with who, when
 * and from which address, for admins at {@code GET /api/v1/audit}. The features that make the
 * changes record them here; this package depends on none of them.
 */
@NullMarked
package com.volcstudio.audit;

import org.jspecify.annotations.NullMarked;
