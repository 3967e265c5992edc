package com.volcstudio.account;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Whose tasks, images, uploads and presets a request may see (issue 17: privacy by default).
 *
 * <p>A member sees only their own; a thing of anybody else's is answered exactly like an id that
 * does not exist. An admin may open anybody's by id (to look after the queue and a user's history)
 * but lists their own unless they name a user. With login off there is one implicit user, who sees
 * everything stored on the studio, as before accounts existed.
 *
 * @param owner the owner key of what the caller stores ({@link Caller#owner()})
 * @param admin whether the caller may open others' things by id
 * @param loginOff whether nobody logs in: lists are not narrowed to an owner
 */
public record Scope(String owner, boolean admin, boolean loginOff) {

  /** Login off, and work done by the studio itself (resuming tasks): everything. */
  public static final Scope EVERYTHING = new Scope(Caller.FIRST_OWNER, true, true);

  /** The scope of the current request; {@link #EVERYTHING} when login is off. */
  public static Mono<Scope> current() {
    return Caller.current().map(Scope::of).defaultIfEmpty(EVERYTHING);
  }

  public static Scope of(Caller caller) {
    return new Scope(caller.owner(), caller.admin(), false);
  }

  /** Whether a thing stored by {@code thingOwner} may be opened (by id) in this scope. */
  public boolean permits(String thingOwner) {
    return admin || owner.equals(thingOwner);
  }

  /** The owner a lookup by id is restricted to: the caller's; null for an admin (anybody's). */
  public @Nullable String restrictedTo() {
    return admin ? null : owner;
  }

  /** The owner a list is narrowed to by default: the caller's; null (all) when login is off. */
  public @Nullable String listed() {
    return loginOff ? null : owner;
  }
}
