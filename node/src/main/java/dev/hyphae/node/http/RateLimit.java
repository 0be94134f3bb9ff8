package dev.hyphae.node.http;

/**
 * A token bucket's size and refill: {@code burst} requests at once, then {@code perSecond} on
 * average. A rate of zero or less means no limit.
 */
public record RateLimit(double perSecond, int burst) {
    public RateLimit {
        if (Double.isNaN(perSecond) || Double.isInfinite(perSecond)) {
            throw new IllegalArgumentException("the rate must be a finite number");
        }
        if (perSecond > 0 && burst < 1) {
            throw new IllegalArgumentException("a limited bucket holds at least one request");
        }
    }

    public static RateLimit unlimited() {
        return new RateLimit(0, 0);
    }

    public boolean isUnlimited() {
        return perSecond <= 0;
    }
}
