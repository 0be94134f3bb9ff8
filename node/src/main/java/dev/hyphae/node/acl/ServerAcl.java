package dev.hyphae.node.acl;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The content of an {@code m.room.server_acl} event read as the spec's rules, applied in order to
 * a server name without its port: an IP literal is denied when {@code allow_ip_literals} is
 * {@code false}; a name matching {@code deny} is denied; a name matching {@code allow} is allowed;
 * anything else is denied. Reading is as lenient as the spec's defaults (servers must agree on
 * events others sent): {@code allow_ip_literals} is {@code true} unless it is the boolean
 * {@code false}, a missing or malformed list is empty, and entries that are not strings are skipped.
 */
public final class ServerAcl {
    private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");

    private final boolean allowIpLiterals;
    private final List<GlobPattern> allow;
    private final List<GlobPattern> deny;

    private ServerAcl(boolean allowIpLiterals, List<GlobPattern> allow, List<GlobPattern> deny) {
        this.allowIpLiterals = allowIpLiterals;
        this.allow = List.copyOf(allow);
        this.deny = List.copyOf(deny);
    }

    /** The rules of an event's content; any JSON value gives rules (a non-object denies everyone). */
    public static ServerAcl fromContent(JsonNode content) {
        JsonNode json = content == null ? null : content;
        JsonNode ipLiterals = json == null ? null : json.get("allow_ip_literals");
        boolean allowIpLiterals = ipLiterals == null || !ipLiterals.isBoolean() || ipLiterals.booleanValue();
        return new ServerAcl(allowIpLiterals, patterns(json, "allow"), patterns(json, "deny"));
    }

    private static List<GlobPattern> patterns(JsonNode content, String key) {
        List<GlobPattern> patterns = new ArrayList<>();
        JsonNode list = content == null ? null : content.get(key);
        if (list != null && list.isArray()) {
            for (JsonNode entry : list) {
                if (entry.isTextual()) {
                    patterns.add(GlobPattern.of(entry.textValue()));
                }
            }
        }
        return patterns;
    }

    /** Whether {@code serverName} (with or without a port) may take part in the room. */
    public boolean allows(String serverName) {
        String host = hostOf(Objects.requireNonNull(serverName, "serverName"));
        if (!allowIpLiterals && isIpLiteral(host)) {
            return false;
        }
        for (GlobPattern pattern : deny) {
            if (pattern.matches(host)) {
                return false;
            }
        }
        for (GlobPattern pattern : allow) {
            if (pattern.matches(host)) {
                return true;
            }
        }
        return false;
    }

    /** The server name without its port: "the suspect server's port number must not be considered". */
    static String hostOf(String serverName) {
        if (serverName.startsWith("[")) {
            int close = serverName.indexOf(']');
            return close > 0 ? serverName.substring(0, close + 1) : serverName;
        }
        int colon = serverName.lastIndexOf(':');
        return colon >= 0 ? serverName.substring(0, colon) : serverName;
    }

    /** An IPv4 dotted quad or a bracketed IPv6 literal, as the grammar of server names writes them. */
    static boolean isIpLiteral(String host) {
        return host.startsWith("[") || IPV4.matcher(host).matches();
    }

    @Override
    public String toString() {
        return "ServerAcl[allow=" + allow + ", deny=" + deny + ", allow_ip_literals=" + allowIpLiterals + "]";
    }
}
