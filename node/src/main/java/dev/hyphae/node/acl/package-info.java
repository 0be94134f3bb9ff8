/**
 * Server Access Control Lists for rooms ({@code m.room.server_acl}): the glob patterns of the
 * appendix "Glob-style matching", the event's content read as the spec's ordered rules
 * ({@link dev.hyphae.node.acl.ServerAcl}), its validation when a client sets it, and the gate that
 * the server-server endpoints of a room ask before answering another server
 * ({@link dev.hyphae.node.acl.RoomServerAcls}).
 */
package dev.hyphae.node.acl;
