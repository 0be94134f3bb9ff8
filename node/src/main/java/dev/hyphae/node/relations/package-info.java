/**
 * Relationships between events ("Forming relationships between events"): the index of
 * {@code m.relates_to} written as events are stored, the child events of a parent for the
 * relationships API, thread roots, and the bundled aggregations ({@code unsigned.m.relations}) and
 * {@code redacted_because} served with events to clients.
 */
package dev.hyphae.node.relations;
