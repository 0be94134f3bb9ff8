package dev.hyphae.transport.libp2p.kad;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Dispatches on the key's namespace, the text between the first two slashes ({@code /hyphae/…}
 * has namespace {@code hyphae}). Keys without a namespace, or in a namespace with no validator,
 * are rejected, as js-libp2p does.
 */
public final class NamespacedValidator implements RecordValidator {

    private final Map<String, RecordValidator> validators;

    public NamespacedValidator(Map<String, RecordValidator> validators) {
        this.validators = Map.copyOf(validators);
    }

    /** Only Hyphae's own namespace. */
    public static NamespacedValidator hyphae() {
        return new NamespacedValidator(Map.of(HyphaeRecord.NAMESPACE, new HyphaeRecordValidator()));
    }

    /** The namespace of {@code key}, if it has the form {@code /<namespace>/…}. */
    public static Optional<String> namespaceOf(byte[] key) {
        if (key.length < 3 || key[0] != '/') {
            return Optional.empty();
        }
        for (int i = 1; i < key.length; i++) {
            if (key[i] == '/') {
                return i == 1 ? Optional.empty()
                    : Optional.of(new String(key, 1, i - 1, StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }

    private RecordValidator validatorFor(byte[] key) throws InvalidRecordException {
        String namespace = namespaceOf(key).orElseThrow(() -> new InvalidRecordException("key has no namespace"));
        RecordValidator v = validators.get(namespace);
        if (v == null) {
            throw new InvalidRecordException("unknown namespace '" + namespace + "'");
        }
        return v;
    }

    @Override
    public void validate(byte[] key, byte[] value) throws InvalidRecordException {
        validatorFor(key).validate(key, value);
    }

    @Override
    public int select(byte[] key, List<byte[]> values) throws InvalidRecordException {
        return validatorFor(key).select(key, values);
    }
}
