/**
 * History visibility ({@code m.room.history_visibility}): which room events a user may see, applied
 * by every client endpoint that serves stored events, including the events named in bundled
 * aggregations.
 */
package dev.hyphae.node.visibility;
