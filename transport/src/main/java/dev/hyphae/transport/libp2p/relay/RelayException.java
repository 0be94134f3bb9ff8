package dev.hyphae.transport.libp2p.relay;

import dev.hyphae.transport.libp2p.relay.proto.CircuitProto.Status;
import java.io.IOException;

/** A relay operation that failed: refused with a status by the relay or target, or broken off. */
public final class RelayException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Status status;

    /** Refused by the remote with {@code status}. */
    public RelayException(Status status, String message) {
        super(message + " (" + status + ")");
        this.status = status;
    }

    /** Failed on this side or on the wire; {@link #status()} is {@code UNUSED}. */
    public RelayException(String message) {
        super(message);
        this.status = Status.UNUSED;
    }

    /** The status the remote answered, or {@code UNUSED} if it answered none. */
    public Status status() {
        return status;
    }
}
