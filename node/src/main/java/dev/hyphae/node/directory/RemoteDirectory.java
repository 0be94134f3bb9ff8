package dev.hyphae.node.directory;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** The directories of other servers, asked over federation. */
public interface RemoteDirectory {
    /**
     * Asks the alias's server what the alias points to.
     *
     * @throws DirectoryException M_NOT_FOUND when the server does not know the alias or cannot be reached
     */
    ResolvedAlias queryAlias(String serverName, String alias);

    /**
     * The published rooms of another server, as its federation {@code /publicRooms} answers.
     *
     * @param request the client's options ({@code limit}, {@code since}, {@code filter}), as JSON
     * @throws DirectoryException M_NOT_FOUND when the server cannot be reached or refuses
     */
    ObjectNode publicRooms(String serverName, ObjectNode request);

    /** No other servers: every alias of theirs is unknown. */
    RemoteDirectory NONE = new RemoteDirectory() {
        @Override
        public ResolvedAlias queryAlias(String serverName, String alias) {
            throw DirectoryException.notFound("Room alias " + alias + " is not known to this server");
        }

        @Override
        public ObjectNode publicRooms(String serverName, ObjectNode request) {
            throw DirectoryException.notFound("The directory of " + serverName + " cannot be reached");
        }
    };
}
