/**
 * The content repository ("media repository") of the client-server API: uploads stored in files
 * named by their SHA-256 under the data directory with their metadata in the store, downloads,
 * thumbnails, and the headers that make serving user content safe.
 */
package dev.hyphae.node.media;
