/**
 * The room directory of this server (client-server API, "Room aliases" and "Published room
 * directory"): its room aliases, resolved locally or through the alias's server, and the rooms it
 * publishes with their summaries.
 */
package dev.hyphae.node.directory;
