/**
 * {@code GET /sync}: one {@link dev.hyphae.node.sync.StreamProvider} per kind of data (room
 * events, account data), each with its own stream positions, combined into one
 * {@link dev.hyphae.node.sync.SyncToken}. A long poll registers with the
 * {@link dev.hyphae.node.sync.SyncNotifier} and waits on a future, holding no thread, until a room
 * event or an account data change wakes it or its timeout ends.
 */
package dev.hyphae.node.sync;
