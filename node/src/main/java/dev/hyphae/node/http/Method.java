package dev.hyphae.node.http;

import java.util.Locale;
import java.util.Optional;

/** The HTTP methods that Matrix endpoints use ({@code OPTIONS} is answered by the server itself). */
public enum Method {
    GET, POST, PUT, DELETE;

    /** The method of this name, or empty for any other (HEAD, PATCH, extension methods). */
    public static Optional<Method> of(String name) {
        try {
            return Optional.of(valueOf(name.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
