/**
 * End-to-end encryption over federation: device list and cross-signing updates queued for servers
 * sharing a room with a local user (one {@code prev_id} series per user), the receivers of
 * {@code m.direct_to_device}, {@code m.device_list_update} and {@code m.signing_key_update} EDUs,
 * and the store-backed cache of remote users' device lists those updates keep current.
 */
package dev.hyphae.node.federation.e2ee;
