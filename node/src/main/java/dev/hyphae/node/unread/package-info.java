/**
 * Unread notification counts of /sync: the events after a user's read receipts that the user's push
 * rules make notify or highlight, per room and, when asked, per thread.
 */
package dev.hyphae.node.unread;
