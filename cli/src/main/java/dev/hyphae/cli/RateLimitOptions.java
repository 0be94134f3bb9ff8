package dev.hyphae.cli;

import dev.hyphae.node.http.RateLimit;
import picocli.CommandLine.Option;

/**
 * The client-server API's rate limits: requests a second of each client address and of each
 * signed-in user, as {@code RATE[/BURST]} (a token bucket refilled at RATE a second that holds BURST
 * requests; without BURST it holds two seconds' worth). {@code 0} turns a limit off. Over the limit
 * a client gets 429 M_LIMIT_EXCEEDED with the time to wait.
 */
final class RateLimitOptions {
    static final String DEFAULT_PER_IP = "200/400";
    static final String DEFAULT_PER_USER = "50/200";

    @Option(names = "--rate-limit-per-ip", paramLabel = "RATE[/BURST]", defaultValue = DEFAULT_PER_IP,
            description = "Client API requests a second from one address, with the burst allowed at once; "
                    + "0 for no limit (default: ${DEFAULT-VALUE}). Every local client shares 127.0.0.1.")
    String perIp;

    @Option(names = "--rate-limit-per-user", paramLabel = "RATE[/BURST]", defaultValue = DEFAULT_PER_USER,
            description = "Client API requests a second of one signed-in user, with the burst allowed at once; "
                    + "0 for no limit (default: ${DEFAULT-VALUE}).")
    String perUser;

    ClientRateLimits limits() {
        return new ClientRateLimits(parse("--rate-limit-per-ip", perIp), parse("--rate-limit-per-user", perUser));
    }

    private static RateLimit parse(String option, String value) {
        try {
            return parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + " " + e.getMessage(), e);
        }
    }

    /**
     * {@code RATE[/BURST]}: RATE a non-negative number (fractions allowed: {@code 0.5} is one request
     * every two seconds), BURST a whole number of at least 1; {@code 0} (or {@code 0/…}) is no limit.
     */
    static RateLimit parse(String value) {
        String text = value == null ? "" : value.trim();
        int slash = text.indexOf('/');
        String rateText = slash < 0 ? text : text.substring(0, slash);
        double rate;
        try {
            rate = Double.parseDouble(rateText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be RATE[/BURST] with RATE a number of requests a second, not '"
                    + value + "'");
        }
        if (!Double.isFinite(rate) || rate < 0) {
            throw new IllegalArgumentException("rate must be a number of at least 0 (0: no limit), not '" + value + "'");
        }
        if (rate == 0) {
            return RateLimit.unlimited();
        }
        long burst;
        if (slash < 0) {
            burst = Math.max(1, (long) Math.ceil(rate * 2));
        } else {
            try {
                burst = Long.parseLong(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("burst must be a whole number of requests, not '" + value + "'");
            }
        }
        if (burst < 1 || burst > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("burst must be at least 1 request, not '" + value + "'");
        }
        return new RateLimit(rate, (int) burst);
    }
}
