package dev.hyphae.transport.router;

import java.io.IOException;

/** No route reached a server name; each route's failure is attached as a suppressed exception. */
public final class UnreachableException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String serverName;

    public UnreachableException(String serverName, String reason) {
        super(serverName + " unreachable: " + reason);
        this.serverName = serverName;
    }

    public String serverName() {
        return serverName;
    }
}
