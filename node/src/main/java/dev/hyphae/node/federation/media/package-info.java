/**
 * Media over federation ("Content Repository" of the server-server API): serving this node's
 * media to other servers as {@code multipart/mixed}, and fetching other servers' media for local
 * clients.
 */
package dev.hyphae.node.federation.media;
