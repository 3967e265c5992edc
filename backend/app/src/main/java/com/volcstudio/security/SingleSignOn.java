package com.volcstudio.security;

import com.volcstudio.account.AccountDetails;
import com.volcstudio.account.Accounts;
import com.volcstudio.account.Caller;
import com.volcstudio.account.CallerPrincipal;
import com.volcstudio.audit.AuditLog;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.DisabledException;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcReactiveOAuth2UserService;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;
import org.springframework.security.oauth2.client.registration.ReactiveClientRegistrationRepository;
import org.springframework.security.oauth2.client.userinfo.ReactiveOAuth2UserService;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.oidc.IdTokenClaimNames;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Single sign-on with an OpenID Connect provider (issue 17): the registration, read from the
 * provider's discovery document at the first sign-in, and the mapping of a signed-in provider user
 * to a studio account ({@link Accounts#singleSignOn}). Built at run time from {@link
 * OidcProperties}, not by Boot's OAuth2 client auto-configuration: under AOT that one is decided
 * when the jar is built, and a setting would then be ignored.
 */
final class SingleSignOn {

  /** The path a browser opens to sign in: {@code /oauth2/authorization/oidc}. */
  static final String REGISTRATION_ID = "oidc";

  private static final Logger log = LoggerFactory.getLogger(SingleSignOn.class);

  private final OidcProperties properties;
  private final Accounts accounts;
  private final AuditLog audit;

  SingleSignOn(OidcProperties properties, Accounts accounts, AuditLog audit) {
    this.properties = properties;
    this.accounts = accounts;
    this.audit = audit;
  }

  /**
   * The one registration. Discovery is a blocking HTTP call: on boundedElastic, at the first
   * sign-in; a failure is not kept, so the next sign-in asks the provider again.
   */
  ReactiveClientRegistrationRepository registrations() {
    Mono<ClientRegistration> registration =
        Mono.fromCallable(this::discover)
            .subscribeOn(Schedulers.boundedElastic())
            .doOnError(
                e ->
                    log.warn(
                        "Single sign-on: the provider at OIDC_ISSUER_URI {} could not be read: {}",
                        properties.issuerUri(),
                        e.toString()))
            .cache(value -> Duration.ofHours(12), error -> Duration.ZERO, () -> Duration.ZERO);
    return id -> REGISTRATION_ID.equals(id) ? registration : Mono.empty();
  }

  private ClientRegistration discover() {
    return ClientRegistrations.fromIssuerLocation(Objects.requireNonNull(properties.issuerUri()))
        .registrationId(REGISTRATION_ID)
        .clientId(Objects.requireNonNull(properties.clientId()))
        .clientSecret(Objects.requireNonNull(properties.clientSecret()))
        .scope("openid", "profile", "email")
        .redirectUri("{baseUrl}/login/oauth2/code/{registrationId}")
        .build();
  }

  /** The provider's user as the studio account of the same name (made on the first sign-in). */
  ReactiveOAuth2UserService<OidcUserRequest, OidcUser> users() {
    OidcReactiveOAuth2UserService provider = new OidcReactiveOAuth2UserService();
    return request ->
        provider
            .loadUser(request)
            .flatMap(
                user -> {
                  String name = username(user);
                  if (name == null) {
                    return Mono.error(
                        refused("the ID token names no user (" + properties.usernameClaim() + ")"));
                  }
                  return accounts
                      .singleSignOn(name, admin(user))
                      .onErrorMap(DisabledException.class, e -> refused("account disabled"))
                      .onErrorMap(BadCredentialsException.class, e -> refused(e.getMessage()))
                      .flatMap(
                          caller ->
                              audit
                                  .recordAs(
                                      caller.username(),
                                      "login.succeeded",
                                      caller.username(),
                                      "single sign-on")
                                  .thenReturn((OidcUser) new StudioOidcUser(user, caller)));
                })
            .doOnError(
                OAuth2AuthenticationException.class,
                e -> log.info("Single sign-on refused: {}", e.getError().getDescription()));
  }

  private @Nullable String username(OidcUser user) {
    return Stream.of(properties.usernameClaim(), "email", IdTokenClaimNames.SUB)
        .map(user::getClaimAsString)
        .filter(value -> value != null && !value.isBlank())
        .findFirst()
        .orElse(null);
  }

  /** Whether the user is in OIDC_ADMIN_GROUP; null when no such group is configured. */
  private @Nullable Boolean admin(OidcUser user) {
    String group = properties.adminGroup();
    if (group == null || group.isBlank()) {
      return null;
    }
    List<String> groups = user.getClaimAsStringList(properties.groupsClaim());
    return groups != null && groups.contains(group.strip());
  }

  private static OAuth2AuthenticationException refused(@Nullable String why) {
    return new OAuth2AuthenticationException(new OAuth2Error("access_denied", why, null));
  }

  /** A signed-in provider user who is a studio account: its name and role are the account's. */
  static final class StudioOidcUser extends DefaultOidcUser implements CallerPrincipal {

    private final Caller caller;

    StudioOidcUser(OidcUser user, Caller caller) {
      super(
          AccountDetails.authoritiesOf(caller),
          user.getIdToken(),
          user.getUserInfo(),
          IdTokenClaimNames.SUB);
      this.caller = caller;
    }

    @Override
    public Caller caller() {
      return caller;
    }

    @Override
    public String getName() {
      return caller.username();
    }

    @Override
    public boolean equals(@Nullable Object other) {
      return other instanceof StudioOidcUser that
          && super.equals(that)
          && caller.equals(that.caller);
    }

    @Override
    public int hashCode() {
      return 31 * super.hashCode() + caller.hashCode();
    }
  }
}
