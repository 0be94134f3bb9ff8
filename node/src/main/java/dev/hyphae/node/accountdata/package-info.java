/**
 * Client Config, the account data module: global and per-room account data of local users.
 *
 * <p>{@link dev.hyphae.node.accountdata.AccountDataService} answers the account data endpoints and
 * gives /sync the changes after an account data stream position. Setting the types the server
 * manages ({@code m.fully_read}, {@code m.push_rules}) through the API is refused with 405
 * {@code M_BAD_JSON}; the server itself writes them with
 * {@link dev.hyphae.node.accountdata.AccountDataService#setInTransaction} inside its own write unit.
 */
package dev.hyphae.node.accountdata;
