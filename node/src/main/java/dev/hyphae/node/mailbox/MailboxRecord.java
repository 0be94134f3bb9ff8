package dev.hyphae.node.mailbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.identity.NodeIdentity;
import dev.hyphae.node.json.CanonicalJson;
import dev.hyphae.node.signing.JsonSigning;
import dev.hyphae.node.signing.SignatureCheck;
import dev.hyphae.transport.router.OnionAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A node's signed statement of which mailboxes serve it:
 * {@code {"server_name": ..., "mailboxes": [onion names], "ts": ms, "signatures": {...}}}, signed
 * with the node's identity key. Anyone may pass it on; a later {@code ts} replaces an earlier one.
 *
 * @param json the signed JSON as published
 */
public record MailboxRecord(String serverName, List<String> mailboxes, long ts, String json) {
    /** At most this many mailboxes in one record. */
    public static final int MAX_MAILBOXES = 8;

    public MailboxRecord {
        Objects.requireNonNull(serverName, "serverName");
        mailboxes = List.copyOf(mailboxes);
        Objects.requireNonNull(json, "json");
    }

    /** The record of {@code identity}, signed. */
    public static MailboxRecord create(NodeIdentity identity, List<String> mailboxes, long ts) {
        if (mailboxes.size() > MAX_MAILBOXES) {
            throw new IllegalArgumentException("at most " + MAX_MAILBOXES + " mailboxes");
        }
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("server_name", identity.serverName());
        ArrayNode list = json.putArray("mailboxes");
        for (String mailbox : mailboxes) {
            list.add(OnionAddress.parse(mailbox).serverName());
        }
        json.put("ts", ts);
        JsonSigning.sign(json, identity.serverName(), identity.signingKey());
        return new MailboxRecord(identity.serverName(), mailboxes, ts,
                new String(CanonicalJson.encode(json), StandardCharsets.UTF_8));
    }

    /**
     * Reads a record and checks that {@code expectedServer} signed it.
     *
     * @throws IllegalArgumentException when malformed, about another server, or badly signed
     */
    public static MailboxRecord parse(JsonNode node, String expectedServer) {
        if (!(node instanceof ObjectNode json)) {
            throw new IllegalArgumentException("a mailbox record is a JSON object");
        }
        JsonNode name = json.path("server_name");
        JsonNode list = json.path("mailboxes");
        JsonNode ts = json.path("ts");
        if (!name.isTextual() || !list.isArray() || list.size() > MAX_MAILBOXES || !ts.isIntegralNumber()) {
            throw new IllegalArgumentException("a mailbox record has server_name, at most " + MAX_MAILBOXES
                    + " mailboxes and ts");
        }
        if (!name.textValue().equals(expectedServer)) {
            throw new IllegalArgumentException("the record is about " + name.textValue() + ", not " + expectedServer);
        }
        List<String> mailboxes = new ArrayList<>();
        for (JsonNode mailbox : list) {
            if (!mailbox.isTextual() || OnionAddress.tryParse(mailbox.textValue()).isEmpty()) {
                throw new IllegalArgumentException("a mailbox is an onion server name");
            }
            mailboxes.add(mailbox.textValue());
        }
        SignatureCheck check = OnionSignature.verify(json, expectedServer);
        if (!check.valid()) {
            throw new IllegalArgumentException("the mailbox record is not signed by " + expectedServer + ": "
                    + check.reason());
        }
        return new MailboxRecord(expectedServer, mailboxes, ts.longValue(),
                new String(CanonicalJson.encode(json), StandardCharsets.UTF_8));
    }

    public static MailboxRecord parse(String json, String expectedServer) {
        return parse(CanonicalJson.parseLenient(json.getBytes(StandardCharsets.UTF_8)), expectedServer);
    }
}
