package dev.hyphae.transport.libp2p.multiaddr;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A multiaddr: a sequence of (protocol, value) components, e.g.
 * {@code /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW…}. Immutable; every instance is valid, because both
 * parsers check each value and reject unknown protocols.
 */
public final class Multiaddr {

    private final List<Component> components;

    private Multiaddr(List<Component> components) {
        this.components = List.copyOf(components);
    }

    /** One protocol and its value in byte form (empty for protocols without a value). */
    public record Component(Protocol protocol, byte[] value) {
        public Component {
            Objects.requireNonNull(protocol, "protocol");
            value = value.clone();
        }

        @Override
        public byte[] value() {
            return value.clone();
        }

        /** The value in text form; empty for protocols without a value. */
        public String valueText() {
            return protocol.hasValue() ? protocol.valueToText(value) : "";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Component c && c.protocol == protocol && Arrays.equals(c.value, value);
        }

        @Override
        public int hashCode() {
            return 31 * protocol.hashCode() + Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return protocol.hasValue() ? "/" + protocol.protocolName() + "/" + valueText()
                : "/" + protocol.protocolName();
        }
    }

    /**
     * Parses the text form.
     *
     * @throws MultiaddrException with the reason if the text is not a valid multiaddr
     */
    public static Multiaddr parse(String text) {
        Objects.requireNonNull(text, "text");
        if (!text.startsWith("/")) {
            throw new MultiaddrException("multiaddr must start with '/': " + text);
        }
        String[] parts = text.substring(1).split("/", -1);
        if (parts.length == 1 && parts[0].isEmpty()) {
            throw new MultiaddrException("empty multiaddr");
        }
        List<Component> out = new ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
            if (parts[i].isEmpty()) {
                if (i == parts.length - 1 && i > 0) {
                    break; // a single trailing slash is tolerated
                }
                throw new MultiaddrException("empty protocol name in " + text);
            }
            Protocol protocol = Protocol.byName(parts[i]);
            if (!protocol.hasValue()) {
                out.add(new Component(protocol, new byte[0]));
                continue;
            }
            if (i + 1 >= parts.length) {
                throw new MultiaddrException("/" + protocol.protocolName() + " needs a value in " + text);
            }
            i++;
            out.add(new Component(protocol, protocol.valueToBytes(parts[i])));
        }
        return new Multiaddr(out);
    }

    /**
     * Parses the binary form: for each component a varint code followed by the value, which is
     * length-prefixed for variable-size protocols.
     *
     * @throws MultiaddrException with the reason if the bytes are not a valid multiaddr
     */
    public static Multiaddr fromBytes(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length == 0) {
            throw new MultiaddrException("empty multiaddr");
        }
        List<Component> out = new ArrayList<>();
        int at = 0;
        try {
            while (at < bytes.length) {
                UnsignedVarint.Decoded code = UnsignedVarint.decode(bytes, at);
                at += code.length();
                Protocol protocol = Protocol.byCode(code.value());
                int size = protocol.fixedSize();
                if (protocol.isVariableSize()) {
                    UnsignedVarint.Decoded length = UnsignedVarint.decode(bytes, at);
                    at += length.length();
                    if (length.value() > bytes.length - at) {
                        throw new MultiaddrException("/" + protocol.protocolName() + " value of "
                            + length.value() + " bytes overruns the multiaddr");
                    }
                    size = (int) length.value();
                } else if (size > bytes.length - at) {
                    throw new MultiaddrException("/" + protocol.protocolName() + " value truncated");
                }
                byte[] value = Arrays.copyOfRange(bytes, at, at + size);
                at += size;
                if (protocol.hasValue()) {
                    protocol.valueToText(value); // validates
                }
                out.add(new Component(protocol, value));
            }
        } catch (InvalidVarintException e) {
            throw new MultiaddrException("bad varint at byte " + at + ": " + e.getMessage());
        }
        return new Multiaddr(out);
    }

    public byte[] toBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Component c : components) {
            UnsignedVarint.write(c.protocol().code(), out);
            if (c.protocol().isVariableSize()) {
                UnsignedVarint.write(c.value.length, out);
            }
            out.writeBytes(c.value);
        }
        return out.toByteArray();
    }

    public List<Component> components() {
        return components;
    }

    /** The text value of the first component of {@code protocol}, if there is one. */
    public Optional<String> valueOf(Protocol protocol) {
        return components.stream().filter(c -> c.protocol() == protocol).findFirst().map(Component::valueText);
    }

    /** This address followed by {@code other}. */
    public Multiaddr encapsulate(Multiaddr other) {
        List<Component> all = new ArrayList<>(components);
        all.addAll(other.components);
        return new Multiaddr(all);
    }

    /** This address with a trailing {@code /p2p/<id>} removed; unchanged if there is none or it is the only component. */
    public Multiaddr withoutPeerId() {
        if (!components.isEmpty() && components.get(components.size() - 1).protocol() == Protocol.P2P
            && components.size() > 1) {
            return new Multiaddr(components.subList(0, components.size() - 1));
        }
        return this;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Multiaddr m && m.components.equals(components);
    }

    @Override
    public int hashCode() {
        return components.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Component c : components) {
            sb.append(c);
        }
        return sb.toString();
    }
}
