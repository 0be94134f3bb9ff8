package dev.hyphae.node.http;

/**
 * A group of endpoints (one file per group, as in the spec's sections) that adds its own routes to
 * the route table, so that no central file knows every endpoint.
 */
@FunctionalInterface
public interface EndpointGroup {
    void register(RouteTable routes);
}
