package com.volcstudio.settings;

import com.volcstudio.audit.AuditLog;
import com.volcstudio.connection.ConnectionCheck;
import java.util.Map;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code /api/v1/settings}: runtime settings, and provider keys that are write-only (only masked
 * forms come back).
 */
@RestController
class SettingsController {

  private final SettingsService settings;

  private final AuditLog audit;

  SettingsController(SettingsService settings, AuditLog audit) {
    this.settings = settings;
    this.audit = audit;
  }

  @GetMapping("/api/v1/settings")
  SettingsView get() {
    return settings.view();
  }

  /**
   * Any subset of the {@code runtime} fields; all checked before any applies. Read as a map, not a
   * record, because a field sent as null (reset) and a field left out (unchanged) mean different
   * things.
   */
  @PatchMapping("/api/v1/settings")
  Mono<SettingsView> patch(
      @RequestBody(required = false) @Nullable Map<String, @Nullable Object> body) {
    return settings
        .patch(body == null ? null : CurrentSettings.JSON.valueToTree(body))
        .flatMap(
            view ->
                audit
                    .record(
                        "settings.changed",
                        "runtime",
                        body == null ? null : String.join(", ", new TreeSet<>(body.keySet())))
                    .thenReturn(view));
  }

  @PutMapping("/api/v1/settings/credentials/{provider}")
  Mono<SettingsView> store(
      @PathVariable("provider") String provider,
      @RequestBody(required = false) @Nullable CredentialsRequest body) {
    return settings
        .store(provider, body)
        .flatMap(view -> audit.record("credentials.stored", provider, null).thenReturn(view));
  }

  /** Back to the environment's keys for this provider, or to demo mode when there are none. */
  @DeleteMapping("/api/v1/settings/credentials/{provider}")
  Mono<SettingsView> delete(@PathVariable("provider") String provider) {
    return settings
        .delete(provider)
        .flatMap(view -> audit.record("credentials.removed", provider, null).thenReturn(view));
  }

  /** A free real call with the keys in the body, or with the keys in use when there is no body. */
  @PostMapping("/api/v1/settings/credentials/{provider}/test")
  Mono<ConnectionCheck.Result> test(
      @PathVariable("provider") String provider,
      @RequestBody(required = false) @Nullable CredentialsRequest body) {
    return settings.test(provider, body);
  }
}
