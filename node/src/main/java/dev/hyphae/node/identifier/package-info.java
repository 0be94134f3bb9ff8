/**
 * Matrix identifiers as value types (appendices, "Identifier Grammar"): each {@code parse} checks
 * the grammar and throws {@link dev.hyphae.node.identifier.InvalidIdentifierException} with the
 * reason; {@code toString} gives the string form back unchanged.
 */
package dev.hyphae.node.identifier;
