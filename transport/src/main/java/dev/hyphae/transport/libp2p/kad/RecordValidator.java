package dev.hyphae.transport.libp2p.kad;

import java.util.List;

/**
 * Decides which DHT records are acceptable and which of several is best (kad-dht spec, "Entry
 * validation"). Both methods are pure: the same input always gives the same answer.
 */
public interface RecordValidator {

    /** @throws InvalidRecordException if {@code value} may not be stored or returned under {@code key} */
    void validate(byte[] key, byte[] value) throws InvalidRecordException;

    /**
     * The index of the best of {@code values} (all valid for {@code key}, at least one).
     *
     * @throws InvalidRecordException if none of them is valid
     */
    int select(byte[] key, List<byte[]> values) throws InvalidRecordException;
}
