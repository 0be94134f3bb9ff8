/**
 * Typing notifications: the {@code PUT /rooms/{roomId}/typing/{userId}} endpoint, who types where
 * (in memory, with timeouts), the {@code m.typing} ephemeral event of /sync and the {@code m.typing}
 * EDU both ways.
 */
package dev.hyphae.node.typing;
