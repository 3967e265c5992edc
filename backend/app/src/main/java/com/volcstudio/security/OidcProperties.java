package com.volcstudio.security;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Single sign-on with an OpenID Connect provider (issue 17), on top of the login of
 * APP_AUTH_USERNAME.
 *
 * @param issuerUri the provider's issuer ({@code OIDC_ISSUER_URI}); blank = no single sign-on. Its
 *     {@code /.well-known/openid-configuration} is read at the first sign-in, not at start-up, so a
 *     provider that is down does not keep the studio from starting
 * @param clientId this studio's client id at the provider ({@code OIDC_CLIENT_ID})
 * @param clientSecret its secret ({@code OIDC_CLIENT_SECRET}); never logged
 * @param usernameClaim the ID token claim that names the account ({@code OIDC_USERNAME_CLAIM},
 *     default {@code preferred_username}; then {@code email}, then {@code sub})
 * @param adminGroup members of this group are admins, everybody else a member ({@code
 *     OIDC_ADMIN_GROUP}); blank = roles are set in the studio (a first login makes a member)
 * @param groupsClaim the claim that lists a user's groups ({@code OIDC_GROUPS_CLAIM}, default
 *     {@code groups})
 */
@ConfigurationProperties("security.oidc")
public record OidcProperties(
    @Nullable String issuerUri,
    @Nullable String clientId,
    @Nullable String clientSecret,
    @DefaultValue("preferred_username") String usernameClaim,
    @Nullable String adminGroup,
    @DefaultValue("groups") String groupsClaim) {

  public OidcProperties {
    if (hasText(issuerUri) && (!hasText(clientId) || !hasText(clientSecret))) {
      throw new IllegalArgumentException(
          "OIDC_ISSUER_URI needs OIDC_CLIENT_ID and OIDC_CLIENT_SECRET (this studio's client at the"
              + " provider)");
    }
  }

  /** Single sign-on is on when an issuer is set. */
  public boolean enabled() {
    return hasText(issuerUri);
  }

  private static boolean hasText(@Nullable String value) {
    return value != null && !value.isBlank();
  }

  @Override
  public String toString() {
    return "OidcProperties[issuerUri="
        + issuerUri
        + ", clientId="
        + clientId
        + ", clientSecret="
        + (hasText(clientSecret) ? "****" : "")
        + ", usernameClaim="
        + usernameClaim
        + ", adminGroup="
        + adminGroup
        + ", groupsClaim="
        + groupsClaim
        + "]";
  }
}
