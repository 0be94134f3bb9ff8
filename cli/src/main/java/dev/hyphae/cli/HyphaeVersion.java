package dev.hyphae.cli;

import picocli.CommandLine.IVersionProvider;

/** The version printed by {@code hyphae --version}: the jar's implementation version. */
final class HyphaeVersion implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"hyphae " + implementationVersion()};
    }

    /** The jar's implementation version, or "development build" when run from classes. */
    static String implementationVersion() {
        String version = Hyphae.class.getPackage().getImplementationVersion();
        return version == null ? "development build" : version;
    }
}
