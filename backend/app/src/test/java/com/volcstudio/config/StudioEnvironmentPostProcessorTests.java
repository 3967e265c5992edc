package com.volcstudio.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

/** What the settings turn into before the context starts: the database's URLs above all. */
class StudioEnvironmentPostProcessorTests {

  private static MockEnvironment processed(MockEnvironment environment) {
    new StudioEnvironmentPostProcessor()
        .postProcessEnvironment(environment, new SpringApplication());
    return environment;
  }

  @Test
  void withoutDatabaseUrlTheDatabaseIsTheH2FileInDataDir() {
    MockEnvironment environment =
        processed(new MockEnvironment().withProperty("studio.data-dir", "target/test-data/env-h2"));
    assertThat(environment.getProperty("spring.r2dbc.url"))
        .startsWith("r2dbc:h2:file:///retry:")
        .contains("env-h2");
    assertThat(environment.getProperty("spring.flyway.url")).startsWith("jdbc:h2:file:retry:");
    assertThat(environment.getProperty("spring.flyway.locations"))
        .isEqualTo("classpath:db/migration/h2");
  }

  @Test
  void databaseUrlMakesBothDriversUsePostgresWithTheGivenLogin() {
    MockEnvironment environment =
        processed(
            new MockEnvironment()
                .withProperty("studio.data-dir", "target/test-data/env-pg")
                .withProperty(
                    "DATABASE_URL", "r2dbc:postgresql://db.internal:5433/studio?sslmode=require")
                .withProperty("DATABASE_USERNAME", "studio")
                .withProperty("DATABASE_PASSWORD", "s3cret"));
    assertThat(environment.getProperty("spring.r2dbc.url"))
        .isEqualTo("r2dbc:postgresql://db.internal:5433/studio?sslmode=require");
    assertThat(environment.getProperty("spring.flyway.url"))
        .isEqualTo("jdbc:postgresql://db.internal:5433/studio?sslmode=require");
    assertThat(environment.getProperty("spring.flyway.locations"))
        .isEqualTo("classpath:db/migration/postgresql");
    assertThat(environment.getProperty("spring.r2dbc.username")).isEqualTo("studio");
    assertThat(environment.getProperty("spring.flyway.password")).isEqualTo("s3cret");
  }

  @Test
  void replicasSharingADatabaseAndRedisWithoutOneSecretKeyAreStoppedSayingWhy() {
    MockEnvironment replica =
        new MockEnvironment()
            .withProperty("studio.data-dir", "target/test-data/env-replica")
            .withProperty("DATABASE_URL", "r2dbc:postgresql://db:5432/studio")
            .withProperty("REDIS_URL", "redis://redis:6379");
    assertThatThrownBy(() -> processed(replica))
        .hasMessageContaining("APP_SECRET_KEY")
        .hasMessageContaining("the same on every replica");

    // With the key, or with only one of the two shared parts, it starts.
    processed(
        replica.withProperty("APP_SECRET_KEY", "c3R1ZGlvLXJlcGxpY2FzLXNoYXJlLW9uZS1rZXkhISE="));
    processed(
        new MockEnvironment()
            .withProperty("studio.data-dir", "target/test-data/env-replica")
            .withProperty("REDIS_URL", "redis://redis:6379"));
  }

  @Test
  void aDatabaseUrlThatIsNoPostgresUrlStopsTheStartSayingWhatIsExpected() {
    for (String url :
        new String[] {
          "postgresql://db/studio", "r2dbc:postgresql://db", "r2dbc:postgresql://user:pw@db/studio"
        }) {
      assertThatThrownBy(
              () ->
                  processed(
                      new MockEnvironment()
                          .withProperty("studio.data-dir", "target/test-data/env-bad")
                          .withProperty("DATABASE_URL", url)))
          .hasMessageContaining("DATABASE_URL")
          .hasMessageContaining("r2dbc:postgresql://127.0.0.1:5432/studio")
          .message()
          .doesNotContain("pw@");
    }
  }
}
