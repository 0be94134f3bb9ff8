package dev.hyphae.node.federation;

/** A group of federation endpoints (one file per spec section) that adds its own routes. */
@FunctionalInterface
public interface FederationEndpointGroup {
    void register(FederationRoutes routes);
}
