package com.volcstudio.settings;

import com.volcstudio.catalog.ModelCatalog;
import com.volcstudio.connection.ConnectionCheck;
import com.volcstudio.connection.Providers;
import com.volcstudio.coordination.Broadcasts;
import com.volcstudio.logging.KnownSecrets;
import com.volcstudio.volcengine.VolcCredentials;
import com.volcstudio.web.FieldViolation;
import com.volcstudio.web.InvalidRequestException;
import com.volcstudio.web.NotFoundException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.ApplicationEventPublisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads and changes the settings: provider keys (encrypted before they reach the database,
 * registered with the log redactor before anything could log them) and the runtime settings. Every
 * change applies at once: keys switch the active connections (live, back to the environment's keys,
 * or demo mode), runtime settings are read by their users at their next call.
 */
class SettingsService implements SmartInitializingSingleton {

  static final String VOLCENGINE = "volcengine";
  static final String ARK = "ark";

  private static final Logger log = LoggerFactory.getLogger(SettingsService.class);

  /**
   * Keys are printable ASCII without spaces; 8 characters at least, so a stray word is not taken
   * for a key.
   */
  private static final Pattern KEY = Pattern.compile("[\\x21-\\x7E]{8,256}");

  private final SettingsRepository repository;
  private final CurrentSettings settings;
  private final Providers providers;
  private final CredentialCipher cipher;
  private final ConnectionCheck connection;
  private final ModelCatalog catalog;
  private final ApplicationEventPublisher events;
  private final Clock clock = Clock.systemUTC();
  private final Broadcasts broadcasts;

  /** Where replicas sharing a database tell each other that the settings or keys changed. */
  static final String CHANGED = "volc-studio:settings-changed";

  /** Guarded by {@code this}: each change starts from the keys the previous one left. */
  private Providers.StoredKeys stored = Providers.StoredKeys.NONE;

  /** The start-up load under way ({@link #loadStoredAfter}); null once waited for. */
  private @Nullable CompletableFuture<Void> loading;

  SettingsService(
      SettingsRepository repository,
      CurrentSettings settings,
      Providers providers,
      CredentialCipher cipher,
      ConnectionCheck connection,
      ModelCatalog catalog,
      ApplicationEventPublisher events,
      Broadcasts broadcasts) {
    this.broadcasts = broadcasts;
    this.repository = repository;
    this.settings = settings;
    this.providers = providers;
    this.cipher = cipher;
    this.connection = connection;
    this.catalog = catalog;
    this.events = events;
  }

  /**
   * {@link #loadStored} once {@code migrated} completes, on a thread of its own (in demo mode it
   * starts the emulator: ~0.2 s the context's other beans are made meanwhile); {@link
   * #afterSingletonsInstantiated} waits for it. A daemon, so that a start that fails elsewhere
   * first does not wait for it.
   */
  void loadStoredAfter(CompletableFuture<Void> migrated) {
    loading =
        migrated.thenRunAsync(
            this::loadStored,
            task -> {
              Thread thread = new Thread(task, "settings-load");
              thread.setDaemon(true);
              thread.start();
            });
  }

  /**
   * Every bean exists; the web server, the task dispatcher and the retention schedule start after
   * this. A failed load (a migration, an unreadable database) fails the start as it did on the main
   * thread.
   */
  @Override
  public void afterSingletonsInstantiated() {
    // Another replica changed them (REDIS_URL and a shared DATABASE_URL): read them again here.
    broadcasts.listen(CHANGED, this::changedElsewhere);
    CompletableFuture<Void> load = loading;
    if (load == null) {
      return;
    }
    try {
      load.join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw e;
    } finally {
      loading = null;
    }
  }

  /**
   * Applies what was stored by an earlier run. Called once while the context starts (blocking on
   * the database is fine there: no event loop runs it), before any task runs or any request
   * arrives.
   */
  void loadStored() {
    settings.apply(repository.runtimeOverrides().blockOptional().orElse(Map.of()));
    Map<String, String> ciphertexts = repository.credentials().blockOptional().orElse(Map.of());
    VolcCredentials visual = null;
    String arkKey = null;
    for (var entry : ciphertexts.entrySet()) {
      JsonNode keys =
          cipher.decrypt(entry.getValue()).map(CurrentSettings.JSON::readTree).orElse(null);
      if (keys == null) {
        log.warn(
            "The stored {} keys cannot be decrypted with the current master key (APP_SECRET_KEY changed, or "
                + "DATA_DIR/secret.key replaced?); they are ignored until entered again",
            entry.getKey());
        continue;
      }
      if (entry.getKey().equals(VOLCENGINE)) {
        visual = credentials(keys);
        KnownSecrets.registerAccessKey(visual.accessKeyId());
        KnownSecrets.registerSecret(visual.secretAccessKey());
      } else if (entry.getKey().equals(ARK)) {
        arkKey = keys.path("api_key").asString();
        KnownSecrets.registerSecret(arkKey);
      }
    }
    Providers.StoredKeys loaded = new Providers.StoredKeys(visual, arkKey);
    synchronized (this) {
      stored = loaded;
      providers.useStored(loaded);
    }
  }

  /** What another replica stored, applied here as at start-up; on a thread that may block. */
  private void changedElsewhere() {
    loadStored();
    log.info("Settings changed on another replica: {}", settings.get());
    events.publishEvent(new SettingsChanged(settings.get()));
  }

  SettingsView view() {
    return SettingsView.of(providers.current(), settings.get());
  }

  Mono<SettingsView> patch(@Nullable JsonNode body) {
    return Mono.fromCallable(() -> RuntimeSettingsPatch.merge(body, settings, catalog))
        // Changes are rare and come from one settings form; the last one to arrive wins, as a
        // whole.
        .flatMap(next -> repository.replaceRuntimeOverrides(next, clock.instant()).thenReturn(next))
        .map(
            next -> {
              RuntimeSettings applied = settings.apply(next);
              log.info("Runtime settings changed: {}", next);
              events.publishEvent(new SettingsChanged(applied));
              broadcasts.publish(CHANGED);
              return view();
            });
  }

  Mono<SettingsView> store(String provider, @Nullable CredentialsRequest request) {
    return Mono.fromCallable(
            () -> {
              ObjectNode keys = validated(provider, request);
              // Known to the redactor before the keys go anywhere, so not even a failure below can
              // log them.
              keys.properties()
                  .forEach(
                      e -> {
                        if (e.getKey().equals("access_key")) {
                          KnownSecrets.registerAccessKey(e.getValue().asString());
                        } else {
                          KnownSecrets.registerSecret(e.getValue().asString());
                        }
                      });
              return keys;
            })
        .flatMap(
            keys ->
                repository
                    .saveCredential(
                        provider,
                        cipher.encrypt(CurrentSettings.JSON.writeValueAsString(keys)),
                        clock.instant())
                    .then(
                        switchTo(
                            current ->
                                provider.equals(VOLCENGINE)
                                    ? new Providers.StoredKeys(
                                        credentials(keys), current.arkApiKey())
                                    : new Providers.StoredKeys(
                                        current.visual(), keys.path("api_key").asString()))))
        .doOnSuccess(
            view -> log.info("Stored {} keys; mode is now {}", provider, view.mode().wireName()));
  }

  Mono<SettingsView> delete(String provider) {
    return Mono.fromCallable(() -> known(provider))
        .flatMap(p -> repository.deleteCredential(p))
        .then(
            switchTo(
                current ->
                    provider.equals(VOLCENGINE)
                        ? new Providers.StoredKeys(null, current.arkApiKey())
                        : new Providers.StoredKeys(current.visual(), null)))
        .doOnSuccess(
            view ->
                log.info(
                    "Deleted the stored {} keys; mode is now {}",
                    provider,
                    view.mode().wireName()));
  }

  /**
   * Tries the keys in the request, or without one the keys in use (the emulator's in demo mode).
   */
  Mono<ConnectionCheck.Result> test(String provider, @Nullable CredentialsRequest request) {
    return Mono.fromCallable(
            () -> {
              known(provider);
              boolean candidate =
                  request != null
                      && (request.accessKey() != null
                          || request.secretKey() != null
                          || request.apiKey() != null);
              return Optional.ofNullable(candidate ? validated(provider, request) : null);
            })
        .flatMap(
            keys -> {
              Providers.Active active = providers.current();
              if (provider.equals(VOLCENGINE)) {
                return keys.map(k -> providers.visualWith(credentials(k)))
                    .or(active::visual)
                    .map(connection::visual)
                    .orElseGet(() -> Mono.just(notConfigured("VOLC_ACCESS_KEY / VOLC_SECRET_KEY")));
              }
              return keys.map(k -> providers.arkWith(k.path("api_key").asString()))
                  .or(active::ark)
                  .map(connection::ark)
                  .orElseGet(() -> Mono.just(notConfigured("ARK_API_KEY")));
            });
  }

  private static VolcCredentials credentials(JsonNode keys) {
    return new VolcCredentials(
        keys.path("access_key").asString(), keys.path("secret_key").asString());
  }

  /**
   * Switches the connections. Off the event loop: going back to demo mode may start the emulator, a
   * blocking bind. The cached connection status is dropped so system/info checks the new keys.
   */
  private Mono<SettingsView> switchTo(UnaryOperator<Providers.StoredKeys> change) {
    return Mono.fromCallable(
            () -> {
              // One change at a time, each from the keys the previous one left: an Ark key and a
              // VolcEngine pair
              // stored at the same moment both stay.
              synchronized (this) {
                stored = change.apply(stored);
                providers.useStored(stored);
              }
              connection.forget();
              broadcasts.publish(CHANGED);
              return view();
            })
        .subscribeOn(Schedulers.boundedElastic());
  }

  private static ConnectionCheck.Result notConfigured(String what) {
    return new ConnectionCheck.Result(
        false,
        "NOT_CONFIGURED",
        new ConnectionCheck.Message(
            "未配置密钥（" + what + "）。", "No keys are configured (" + what + ")."),
        0);
  }

  private static String known(String provider) {
    if (!provider.equals(VOLCENGINE) && !provider.equals(ARK)) {
      throw new NotFoundException("provider", provider);
    }
    return provider;
  }

  /** The keys of the request as stored: every wrong field named, no value ever echoed. */
  private static ObjectNode validated(String provider, @Nullable CredentialsRequest request) {
    known(provider);
    if (request == null) {
      throw new InvalidRequestException(
          "body",
          provider.equals(VOLCENGINE)
              ? "a JSON body with access_key and secret_key is required"
              : "a JSON body with api_key is required");
    }
    List<FieldViolation> violations = new ArrayList<>();
    ObjectNode keys = CurrentSettings.JSON.createObjectNode();
    if (provider.equals(VOLCENGINE)) {
      key("access_key", request.accessKey(), violations, keys);
      key("secret_key", request.secretKey(), violations, keys);
      if (request.apiKey() != null) {
        violations.add(new FieldViolation("api_key", "belongs to provider ark, not volcengine"));
      }
    } else {
      key("api_key", request.apiKey(), violations, keys);
      for (var wrong :
          List.of(
              Map.entry("access_key", request.accessKey() != null),
              Map.entry("secret_key", request.secretKey() != null))) {
        if (wrong.getValue()) {
          violations.add(
              new FieldViolation(wrong.getKey(), "belongs to provider volcengine, not ark"));
        }
      }
    }
    if (!violations.isEmpty()) {
      throw new InvalidRequestException(violations);
    }
    return keys;
  }

  private static void key(
      String field, @Nullable String value, List<FieldViolation> violations, ObjectNode keys) {
    String key = value == null ? "" : value.strip();
    if (key.isEmpty()) {
      violations.add(new FieldViolation(field, "is required"));
    } else if (!KEY.matcher(key).matches()) {
      violations.add(
          new FieldViolation(field, "must be 8 to 256 printable characters without spaces"));
    } else {
      keys.put(field, key);
    }
  }
}
