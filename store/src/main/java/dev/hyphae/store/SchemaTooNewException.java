package dev.hyphae.store;

/** The database was written by a newer version of Hyphae; opening it could corrupt it. */
public class SchemaTooNewException extends StoreException {
    private static final long serialVersionUID = 1L;
    private final int databaseVersion;
    private final int supportedVersion;

    public SchemaTooNewException(int databaseVersion, int supportedVersion) {
        super("database schema version " + databaseVersion + " is newer than the newest version this "
                + "build supports (" + supportedVersion + "); refusing to open it. Upgrade Hyphae.");
        this.databaseVersion = databaseVersion;
        this.supportedVersion = supportedVersion;
    }

    public int databaseVersion() {
        return databaseVersion;
    }

    public int supportedVersion() {
        return supportedVersion;
    }
}
