/**
 * The client-server API's endpoint groups, one file per group of the spec, each handler's route in
 * the first line of its Javadoc. {@link dev.hyphae.node.client.ClientApi#groups} lists the groups.
 */
package dev.hyphae.node.client;
