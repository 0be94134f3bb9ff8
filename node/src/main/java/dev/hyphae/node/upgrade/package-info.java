/**
 * Room upgrades (client-server API, "Room Upgrades"): {@code POST /rooms/{roomId}/upgrade} replaces
 * a room by a new one of another room version, with a {@code predecessor} link, the transferable
 * state, the old room tombstoned and its power levels restricted.
 */
package dev.hyphae.node.upgrade;
