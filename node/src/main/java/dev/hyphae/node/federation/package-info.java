/**
 * The server-server API: endpoints other servers call (behind {@link FederationRoutes}, which
 * checks each request's X-Matrix signature) and the {@link FederationClient} this node calls them
 * with. Which carrier (libp2p, Tor, classic HTTPS) takes a request is below this package.
 */
package dev.hyphae.node.federation;
