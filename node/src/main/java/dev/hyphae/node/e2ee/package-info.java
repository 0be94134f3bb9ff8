/**
 * The server side of end-to-end encryption (client-server API, "End-to-End Encryption" and
 * "Send-to-Device messaging"): device, one-time and fallback keys, cross-signing keys and
 * signatures, device list changes, to-device inboxes and server-side key backups.
 *
 * <p>Services take and return JSON in the spec's request and response shapes, so the HTTP layer
 * only routes. Writes return futures that complete after the store's durable commit; refusals are
 * {@link dev.hyphae.node.e2ee.E2eeException}s carrying the Matrix error code, thrown by reads and
 * delivered through the future (wrapped in a {@link java.util.concurrent.CompletionException} on
 * {@code join}) by writes. Keys of users on other servers are reached through the
 * {@link dev.hyphae.node.e2ee.RemoteKeys} seam.
 */
package dev.hyphae.node.e2ee;
