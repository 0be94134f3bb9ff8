/**
 * Presence: {@code GET}/{@code PUT /presence/{userId}/status}, who is online (in memory), the
 * {@code presence} section and {@code set_presence} of /sync, and the {@code m.presence} EDU both ways.
 */
package dev.hyphae.node.presence;
