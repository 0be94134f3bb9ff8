/**
 * The user directory ({@code POST /user_directory/search}): the users a requester may find by
 * user ID or display name.
 */
package dev.hyphae.node.userdirectory;
