package dev.hyphae.transport.libp2p.relay;

import dev.hyphae.transport.libp2p.relay.proto.CircuitProto;
import java.time.Duration;

/**
 * The spec's {@code Limit}: how long a relayed connection may stay open and how many bytes may
 * flow in each direction. Zero means no limit.
 */
public record CircuitLimit(Duration duration, long data) {

    public CircuitLimit {
        if (duration.isNegative() || data < 0) {
            throw new IllegalArgumentException("limits must not be negative");
        }
        if (duration.toSeconds() > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("duration does not fit the Limit message: " + duration);
        }
    }

    public boolean limitsDuration() {
        return !duration.isZero();
    }

    public boolean limitsData() {
        return data != 0;
    }

    public CircuitProto.Limit toProto() {
        return CircuitProto.Limit.newBuilder()
            .setDuration((int) duration.toSeconds())
            .setData(data)
            .build();
    }

    public static CircuitLimit fromProto(CircuitProto.Limit limit) {
        return new CircuitLimit(Duration.ofSeconds(Integer.toUnsignedLong(limit.getDuration())), limit.getData() < 0
            ? Long.MAX_VALUE : limit.getData());
    }
}
