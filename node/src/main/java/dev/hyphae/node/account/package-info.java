/**
 * Local accounts, devices and tokens over the store: Argon2id password hashes, access and refresh
 * tokens known to the store only by their hashes, and user-interactive authentication sessions.
 */
package dev.hyphae.node.account;
