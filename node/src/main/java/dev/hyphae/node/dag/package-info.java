/**
 * The room DAG: auth chains, forward extremities, the depth and {@code prev_events} of new events.
 * Pure code; the store keeps the DAG, these classes compute over it.
 */
package dev.hyphae.node.dag;
