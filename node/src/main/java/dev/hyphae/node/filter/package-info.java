/**
 * Filtering: the spec's Filter, RoomFilter, RoomEventFilter and EventFilter, parsed with
 * {@code M_BAD_JSON} for wrong JSON types and {@code M_INVALID_PARAM} for disallowed values, and
 * applied in memory to events; {@code FilterService} stores uploaded filters under per-user IDs and
 * resolves the filter parameter of /sync and /messages; {@code LazyLoadedMembers} selects the
 * membership events lazy-loading clients get.
 */
package dev.hyphae.node.filter;
