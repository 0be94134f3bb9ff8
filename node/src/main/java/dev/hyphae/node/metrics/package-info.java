/**
 * The node's own figures for its operator, in Prometheus' text format on a loopback port, off
 * unless asked for. Only totals: no server names, user IDs or room IDs, since a metrics scrape
 * should not become a record of who talks to whom.
 */
package dev.hyphae.node.metrics;
