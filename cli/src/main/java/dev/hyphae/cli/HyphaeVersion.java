package dev.hyphae.cli;

import picocli.CommandLine.IVersionProvider;

/** The version printed by {@code hyphae --version}: the jar's implementation version. */
final class HyphaeVersion implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = Hyphae.class.getPackage().getImplementationVersion();
        return new String[] {"hyphae " + (version == null ? "development build" : version)};
    }
}
