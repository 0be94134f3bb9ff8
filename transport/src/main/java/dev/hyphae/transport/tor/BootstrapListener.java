package dev.hyphae.transport.tor;

/** Told each time tor reports bootstrap progress, including after a restart (which starts again near 0%). */
@FunctionalInterface
public interface BootstrapListener {
    BootstrapListener NONE = status -> { };

    void bootstrapProgress(BootstrapStatus status);
}
