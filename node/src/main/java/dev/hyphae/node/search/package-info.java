/**
 * Server-side search ({@code POST /search}, category {@code room_events}): a full-text index of
 * message bodies, room names and topics kept in step with the event stream, and the search over
 * it limited to what the user may see.
 *
 * <p>Encrypted events ({@code m.room.encrypted}) carry no searchable text on the server and are
 * never indexed; rooms with an {@code m.room.encryption} state event are left out of searches
 * altogether, as the spec asks, so their plaintext names and topics are not searched either.
 */
package dev.hyphae.node.search;
