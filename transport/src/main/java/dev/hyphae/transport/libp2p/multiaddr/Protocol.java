package dev.hyphae.transport.libp2p.multiaddr;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The multiaddr protocols Hyphae understands, with their multicodec code and how their value is
 * written in text and in bytes (multiformats multiaddr table).
 */
public enum Protocol {
    IP4(4, "ip4", 4),
    TCP(6, "tcp", 2),
    DNS(53, "dns", Protocol.VARIABLE),
    DNS4(54, "dns4", Protocol.VARIABLE),
    DNS6(55, "dns6", Protocol.VARIABLE),
    DNSADDR(56, "dnsaddr", Protocol.VARIABLE),
    IP6(41, "ip6", 16),
    IP6ZONE(42, "ip6zone", Protocol.VARIABLE),
    UDP(273, "udp", 2),
    WEBRTC_DIRECT(280, "webrtc-direct", 0),
    WEBRTC(281, "webrtc", 0),
    P2P_CIRCUIT(290, "p2p-circuit", 0),
    P2P(421, "p2p", Protocol.VARIABLE),
    ONION3(445, "onion3", 37),
    HTTPS(443, "https", 0),
    TLS(448, "tls", 0),
    SNI(449, "sni", Protocol.VARIABLE),
    NOISE(454, "noise", 0),
    QUIC(460, "quic", 0),
    QUIC_V1(461, "quic-v1", 0),
    WEBTRANSPORT(465, "webtransport", 0),
    CERTHASH(466, "certhash", Protocol.VARIABLE),
    WS(477, "ws", 0),
    WSS(478, "wss", 0),
    HTTP(480, "http", 0);

    /** Marks a value whose byte form is prefixed with its varint length. */
    static final int VARIABLE = -1;

    private static final Map<Long, Protocol> BY_CODE =
        Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(p -> (long) p.code, Function.identity()));
    private static final Map<String, Protocol> BY_NAME =
        Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(p -> p.text, Function.identity()));

    private final int code;
    private final String text;
    private final int size;

    Protocol(int code, String text, int size) {
        this.code = code;
        this.text = text;
        this.size = size;
    }

    public int code() {
        return code;
    }

    /** The name used in the text form, e.g. {@code ip4}. */
    public String protocolName() {
        return text;
    }

    /** Whether the protocol carries a value (p2p-circuit, ws and the like do not). */
    public boolean hasValue() {
        return size != 0;
    }

    boolean isVariableSize() {
        return size == VARIABLE;
    }

    int fixedSize() {
        return size;
    }

    static Protocol byCode(long code) {
        Protocol p = BY_CODE.get(code);
        if (p == null) {
            throw new MultiaddrException("unknown multiaddr protocol code " + code);
        }
        return p;
    }

    static Protocol byName(String name) {
        Protocol p = BY_NAME.get(name);
        if (p == null) {
            throw new MultiaddrException("unknown multiaddr protocol '" + name + "'");
        }
        return p;
    }

    /** Converts a text value to its byte form, checking it. */
    byte[] valueToBytes(String value) {
        try {
            switch (this) {
                case IP4:
                    return ip4ToBytes(value);
                case IP6:
                    return ip6ToBytes(value);
                case TCP:
                case UDP:
                    return portToBytes(value);
                case DNS:
                case DNS4:
                case DNS6:
                case DNSADDR:
                case SNI:
                case IP6ZONE:
                    return hostnameToBytes(value);
                case P2P:
                    return PeerIdText.decode(value);
                case CERTHASH:
                    return certhashToBytes(value);
                case ONION3:
                    return onion3ToBytes(value);
                default:
                    throw new MultiaddrException("/" + text + " takes no value");
            }
        } catch (MultiaddrException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new MultiaddrException("invalid /" + text + " value '" + value + "': " + e.getMessage());
        }
    }

    /** Converts a byte value to its text form, checking it. */
    String valueToText(byte[] value) {
        try {
            switch (this) {
                case IP4:
                case IP6:
                    return ipToText(value);
                case TCP:
                case UDP:
                    return Integer.toString(((value[0] & 0xFF) << 8) | (value[1] & 0xFF));
                case DNS:
                case DNS4:
                case DNS6:
                case DNSADDR:
                case SNI:
                case IP6ZONE:
                    return hostnameToText(value);
                case P2P:
                    return PeerIdText.toBase58(PeerIdText.requireMultihash(value));
                case CERTHASH:
                    return certhashToText(value);
                case ONION3:
                    return onion3ToText(value);
                default:
                    throw new MultiaddrException("/" + text + " takes no value");
            }
        } catch (MultiaddrException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new MultiaddrException("invalid /" + text + " bytes: " + e.getMessage());
        }
    }

    private static byte[] ip4ToBytes(String value) {
        String[] parts = value.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not a dotted IPv4 address");
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            String part = parts[i];
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')
                || (part.length() > 1 && part.charAt(0) == '0')) {
                throw new IllegalArgumentException("bad octet '" + part + "'");
            }
            int octet = Integer.parseInt(part);
            if (octet > 255) {
                throw new IllegalArgumentException("octet " + octet + " > 255");
            }
            out[i] = (byte) octet;
        }
        return out;
    }

    private static byte[] ip6ToBytes(String value) {
        // InetAddress would resolve a host name; only hex digits, ':' and '.' can form a literal.
        if (value.isEmpty() || !value.contains(":")
            || !value.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
            throw new IllegalArgumentException("not an IPv6 literal");
        }
        try {
            InetAddress address = InetAddress.getByName(value);
            byte[] raw = address.getAddress();
            if (raw.length == 16) {
                return raw;
            }
            // Java folds ::ffff:a.b.c.d to an IPv4 address; keep the mapped form multiaddr expects.
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xFF;
            mapped[11] = (byte) 0xFF;
            System.arraycopy(raw, 0, mapped, 12, 4);
            return mapped;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IPv6 literal");
        }
    }

    private static String ipToText(byte[] value) {
        try {
            InetAddress address = InetAddress.getByAddress(value);
            if (address instanceof Inet6Address) {
                return compressIpv6(value);
            }
            return address.getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("wrong address length " + value.length);
        }
    }

    /** RFC 5952 text: lower case, longest run of two or more zero groups replaced by "::". */
    private static String compressIpv6(byte[] value) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((value[2 * i] & 0xFF) << 8) | (value[2 * i + 1] & 0xFF);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLength - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(groups[i]));
        }
        return sb.toString();
    }

    private static byte[] portToBytes(String value) {
        if (value.isEmpty() || value.length() > 5 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("not a port number");
        }
        int port = Integer.parseInt(value);
        if (port > 65535) {
            throw new IllegalArgumentException("port " + port + " > 65535");
        }
        return new byte[] {(byte) (port >>> 8), (byte) port};
    }

    private static byte[] hostnameToBytes(String value) {
        checkHostname(value);
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private static String hostnameToText(byte[] value) {
        String host = new String(value, StandardCharsets.UTF_8);
        if (!Arrays.equals(host.getBytes(StandardCharsets.UTF_8), value)) {
            throw new IllegalArgumentException("host name is not valid UTF-8");
        }
        checkHostname(host);
        return host;
    }

    private static void checkHostname(String host) {
        if (host.isEmpty() || host.length() > 253) {
            throw new IllegalArgumentException("host name must have 1 to 253 characters");
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c == '/' || c <= ' ' || c == 0x7F) {
                throw new IllegalArgumentException("host name contains '" + (c == '/' ? "/" : "control") + "'");
            }
        }
    }

    /** A certificate hash is a multihash, written in multibase (js writes base64url, {@code u…}). */
    private static byte[] certhashToBytes(String value) {
        byte[] multihash = Multibase.decode(value);
        certhashToText(multihash);
        return multihash;
    }

    private static String certhashToText(byte[] multihash) {
        UnsignedVarint.Decoded code = UnsignedVarint.decode(multihash, 0);
        UnsignedVarint.Decoded length = UnsignedVarint.decode(multihash, code.length());
        if (length.value() != multihash.length - code.length() - length.length()) {
            throw new IllegalArgumentException("certhash is not one multihash");
        }
        return Multibase.encodeBase64Url(multihash);
    }

    private static byte[] onion3ToBytes(String value) {
        int colon = value.indexOf(':');
        if (colon != 56) {
            throw new IllegalArgumentException("onion3 is 56 base32 characters, ':' and a port");
        }
        byte[] key = Multibase.decode("b" + value.substring(0, 56));
        byte[] port = portToBytes(value.substring(57));
        if (port[0] == 0 && port[1] == 0) {
            throw new IllegalArgumentException("onion3 port must not be 0");
        }
        byte[] out = new byte[37];
        System.arraycopy(key, 0, out, 0, 35);
        System.arraycopy(port, 0, out, 35, 2);
        return out;
    }

    private static String onion3ToText(byte[] value) {
        String key = Multibase.encodeBase32(Arrays.copyOf(value, 35)).substring(1);
        int port = ((value[35] & 0xFF) << 8) | (value[36] & 0xFF);
        return key + ":" + port;
    }
}
