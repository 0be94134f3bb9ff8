package dev.hyphae.store;

import java.util.Optional;

/** Each user's current cross-signing keys, one per usage, as the JSON the user uploaded. */
public interface CrossSigningKeys {
    /** The key usages of the spec's cross-signing keys. */
    enum Usage {
        MASTER("master"), SELF_SIGNING("self_signing"), USER_SIGNING("user_signing");

        private final String specName;

        Usage(String specName) {
            this.specName = specName;
        }

        /** The name in a key's {@code usage} list. */
        public String specName() {
            return specName;
        }
    }

    /** The user's key JSON for the usage, or empty when none was uploaded. */
    Optional<String> get(String userId, Usage usage);

    interface Writer extends CrossSigningKeys {
        /** Stores or replaces the user's key for the usage. */
        void put(String userId, Usage usage, String keyJson);
    }
}
