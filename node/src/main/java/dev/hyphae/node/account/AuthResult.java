package dev.hyphae.node.account;

import dev.hyphae.node.identifier.UserId;
import java.util.Optional;

/**
 * A finished user-interactive authentication.
 *
 * @param passwordUser      the user who proved their password, when a password stage was done
 * @param registrationToken the registration token used, to be consumed once registration succeeds
 */
public record AuthResult(Optional<UserId> passwordUser, Optional<String> registrationToken) {
}
