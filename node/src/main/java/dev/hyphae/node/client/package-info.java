/**
 * The client-server API's endpoint groups, one file per group of the spec, each handler's route in
 * the first line of its Javadoc. {@link dev.hyphae.node.client.ClientApi#groups} lists the account
 * groups, {@link dev.hyphae.node.client.ClientApi#roomGroups} the room and user data groups, which
 * call the room server and the user data services given as {@link dev.hyphae.node.client.RoomServices}.
 * Service refusals become the spec's errors in {@link dev.hyphae.node.client.ServiceErrors}; room
 * reads are for current members ({@code RoomAccess}). {@code GET /sync} lives in
 * {@link dev.hyphae.node.sync}.
 */
package dev.hyphae.node.client;
