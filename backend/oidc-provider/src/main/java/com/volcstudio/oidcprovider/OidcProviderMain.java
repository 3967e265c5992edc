package com.volcstudio.oidcprovider;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * An OpenID Connect provider (Spring Authorization Server) for the app's single-sign-on test, on
 * 127.0.0.1 and a free port, which it prints as {@code OIDC provider listening on <url>}. Its
 * users, client and groups come from the command line (see {@link ProviderConfiguration}).
 */
@SpringBootApplication
public class OidcProviderMain {

  public static void main(String[] args) {
    SpringApplication.run(OidcProviderMain.class, args);
  }
}
