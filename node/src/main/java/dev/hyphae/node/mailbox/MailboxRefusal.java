package dev.hyphae.node.mailbox;

import java.util.Objects;

/**
 * A mailbox refused a deposit or a fetch: the HTTP status and errcode it answers with, and why.
 * Refusing one request never touches what is stored for others.
 */
public final class MailboxRefusal extends RuntimeException {
    private static final long serialVersionUID = 1L;
    public static final String BAD_ENVELOPE = "DEV_HYPHAE_BAD_ENVELOPE";
    public static final String NO_MAILBOX = "DEV_HYPHAE_NO_MAILBOX";
    public static final String REPLAYED = "DEV_HYPHAE_REPLAYED";
    public static final String MAILBOX_FULL = "DEV_HYPHAE_MAILBOX_FULL";

    private final int status;
    private final String errcode;

    public MailboxRefusal(int status, String errcode, String reason) {
        super(Objects.requireNonNull(reason, "reason"));
        this.status = status;
        this.errcode = Objects.requireNonNull(errcode, "errcode");
    }

    public int status() {
        return status;
    }

    public String errcode() {
        return errcode;
    }

    static MailboxRefusal badEnvelope(String reason) {
        return new MailboxRefusal(400, BAD_ENVELOPE, reason);
    }

    static MailboxRefusal unauthorized(String reason) {
        return new MailboxRefusal(401, "M_UNAUTHORIZED", reason);
    }
}
