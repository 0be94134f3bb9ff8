/** Canonical JSON (appendices, "Canonical JSON"): strict parsing and the byte-exact encoding that hashes and signatures cover. */
package dev.hyphae.node.json;
