/**
 * End-to-end encryption over federation: device list and cross-signing updates queued for servers
 * sharing a room with a local user, and the receivers of {@code m.direct_to_device},
 * {@code m.device_list_update} and {@code m.signing_key_update} EDUs.
 */
package dev.hyphae.node.federation.e2ee;
