/**
 * A room's transport policy: which carriers may take the room's traffic between servers, set by
 * the room's members as a state event of Hyphae's own type and obeyed by every Hyphae node.
 */
package dev.hyphae.node.transportpolicy;
