package dev.hyphae.node.http;

/** Whether an endpoint needs an access token. */
public enum Authentication {
    /** The endpoint ignores any token. */
    NONE,
    /** A token is checked when present (an invalid one is refused) but not needed. */
    OPTIONAL,
    /** The request is refused with {@code M_MISSING_TOKEN} without a token. */
    REQUIRED
}
