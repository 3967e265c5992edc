package com.volcstudio.backup;

import com.volcstudio.security.ClientAddress;
import com.volcstudio.security.StudioSecurityProperties;
import com.volcstudio.web.NotFoundException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

/**
 * Backups of the running studio. A backup holds every image and prompt, so it is for the studio's
 * administrator: with login on, the logged-in user (the one account); with login off, only a caller
 * on this machine (nginx's clients are judged by the address it forwards).
 */
@RestController
class BackupController {

  /** {@code include_master_key}: add {@code secret.key}, which opens the stored provider keys. */
  record BackupRequest(@Nullable Boolean includeMasterKey) {}

  record BackupList(List<BackupService.BackupFile> backups) {}

  private final BackupService backups;
  private final StudioSecurityProperties security;

  BackupController(BackupService backups, StudioSecurityProperties security) {
    this.backups = backups;
    this.security = security;
  }

  @Operation(summary = "Back up the running studio into BACKUP_DIR")
  @ApiResponse(responseCode = "201", description = "The backup, with what it holds")
  @ApiResponse(
      responseCode = "403",
      description = "Login is off and the caller is not on this machine",
      content =
          @Content(
              mediaType = "application/problem+json",
              schema = @Schema(ref = "#/components/schemas/Problem")))
  @PostMapping("/api/v1/backups")
  @ResponseStatus(HttpStatus.CREATED)
  Mono<BackupService.Created> create(
      @RequestBody(required = false) @Nullable BackupRequest request, ServerHttpRequest http) {
    administrator(http);
    return backups.create(request != null && Boolean.TRUE.equals(request.includeMasterKey()));
  }

  @GetMapping("/api/v1/backups")
  Mono<BackupList> list(ServerHttpRequest http) {
    administrator(http);
    return backups.list().map(BackupList::new);
  }

  @GetMapping(path = "/api/v1/backups/{name}", produces = "application/zip")
  Mono<ResponseEntity<Resource>> download(
      @PathVariable("name") String name, ServerHttpRequest http) {
    administrator(http);
    return backups
        .file(name)
        .switchIfEmpty(Mono.error(() -> new NotFoundException("backup", name)))
        .map(
            file ->
                ResponseEntity.ok()
                    .contentType(MediaType.parseMediaType("application/zip"))
                    .header(
                        HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment().filename(name).build().toString())
                    .body(new FileSystemResource(file)));
  }

  private void administrator(ServerHttpRequest request) {
    if (!security.authEnabled() && !ClientAddress.of(request).loopback()) {
      throw new ResponseStatusException(
          HttpStatus.FORBIDDEN,
          "With login off (APP_AUTH_USERNAME unset), backups are made only from this machine");
    }
  }
}
