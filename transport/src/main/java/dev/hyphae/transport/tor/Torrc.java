package dev.hyphae.transport.tor;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The torrc of a node's own tor. tor picks free loopback ports itself ({@code auto}) and writes the
 * control port's address to a file, so no port can be taken between choosing and binding it.
 */
public final class Torrc {
    /** Options this class sets and tor needs as they are for us to control it; extra lines may not change them. */
    static final Set<String> MANAGED_OPTIONS = Set.of("datadirectory", "socksport", "controlport", "controlportwritetofile",
        "cookieauthentication", "cookieauthfile", "hashedcontrolpassword", "controlsocket", "__owningcontrollerprocess",
        "runasdaemon");

    private Torrc() {
    }

    /**
     * The torrc text for {@code config}; {@code owningPid} is this JVM's process ID, so tor exits by
     * itself if the JVM dies without stopping it.
     */
    public static String render(TorConfig config, long owningPid) {
        StringBuilder torrc = new StringBuilder();
        torrc.append("# Written by hyphae at each start of tor; changes here are lost.\n");
        line(torrc, "DataDirectory " + config.dataDirectory());
        line(torrc, "SocksPort 127.0.0.1:auto ExtendedErrors");
        line(torrc, "ControlPort 127.0.0.1:auto");
        line(torrc, "ControlPortWriteToFile " + config.controlPortFile());
        line(torrc, "CookieAuthentication 1");
        line(torrc, "CookieAuthFile " + config.cookieFile());
        line(torrc, "__OwningControllerProcess " + owningPid);
        line(torrc, "RunAsDaemon 0");
        line(torrc, "Log notice stdout");
        if (!config.extraTorrcLines().isEmpty()) {
            torrc.append("# From the node's configuration:\n");
            config.extraTorrcLines().forEach(extra -> line(torrc, extra));
        }
        return torrc.toString();
    }

    /** Rejects extra lines that would break the torrc or take control of tor away from the node. */
    static void checkExtraLines(List<String> lines) {
        for (String line : lines) {
            if (line == null) {
                throw new IllegalArgumentException("extra torrc line is null");
            }
            if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0 || line.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("extra torrc line must be one line: " + line.replace("\n", "\\n"));
            }
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            String option = trimmed.split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
            if (MANAGED_OPTIONS.contains(option)) {
                throw new IllegalArgumentException("extra torrc line sets " + trimmed.split("\\s+", 2)[0]
                    + ", which the node manages itself: " + line);
            }
        }
    }

    private static void line(StringBuilder torrc, String line) {
        torrc.append(line).append('\n');
    }
}
