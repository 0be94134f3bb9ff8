package dev.hyphae.node.account;

/**
 * The cost of an Argon2id password hash.
 *
 * @param memoryKiB   memory in KiB
 * @param iterations  passes over the memory
 * @param parallelism lanes
 */
public record Argon2Settings(int memoryKiB, int iterations, int parallelism) {
    public Argon2Settings {
        if (parallelism < 1 || iterations < 1 || memoryKiB < 8 * parallelism) {
            throw new IllegalArgumentException("Argon2 needs at least one lane, one pass and 8 KiB per lane");
        }
        if (memoryKiB > 4 * 1024 * 1024 || iterations > 100 || parallelism > 64) {
            throw new IllegalArgumentException("Argon2 cost out of the accepted range");
        }
    }

    /** OWASP's recommended minimum for Argon2id: 19 MiB, 2 passes, 1 lane. */
    public static Argon2Settings recommended() {
        return new Argon2Settings(19 * 1024, 2, 1);
    }
}
