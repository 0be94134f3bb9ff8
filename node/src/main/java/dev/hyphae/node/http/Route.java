package dev.hyphae.node.http;

import java.util.Objects;

/**
 * One endpoint: method, path template ({@code {name}} segments are parameters), whether it needs
 * an access token, and its handler.
 */
public record Route(Method method, String template, Authentication authentication, AsyncHandler handler) {
    public Route {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(authentication, "authentication");
        Objects.requireNonNull(handler, "handler");
    }

    @Override
    public String toString() {
        return method + " " + template;
    }
}
