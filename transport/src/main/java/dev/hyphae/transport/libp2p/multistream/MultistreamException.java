package dev.hyphae.transport.libp2p.multistream;

/** A multistream-select negotiation that failed, with the reason. */
public final class MultistreamException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MultistreamException(String reason) {
        super(reason);
    }
}
