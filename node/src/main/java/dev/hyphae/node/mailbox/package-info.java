/**
 * Store-and-forward mailboxes: when a destination stays unreachable, a sender seals the signed
 * federation transaction to the destination's key, pads it to a fixed size and deposits it at one
 * of the destination's mailboxes over Tor; the destination fetches it later, proving who it is by
 * signature, and processes it as if it had arrived directly. A mailbox learns neither sender nor
 * content. The format is in docs/protocol.md ("Mailboxes").
 */
package dev.hyphae.node.mailbox;
