package dev.hyphae.node.mailbox;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.hyphae.node.federation.FederationEndpointGroup;
import dev.hyphae.node.federation.FederationRoutes;
import dev.hyphae.node.http.MatrixException;
import dev.hyphae.node.http.MatrixRequest;
import dev.hyphae.node.http.MatrixResponse;
import dev.hyphae.node.http.Method;
import dev.hyphae.node.json.CanonicalJson;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mailbox's HTTP face, beside the federation routes but without X-Matrix (a deposit must not
 * name its sender; a fetch carries its own signature): {@code POST /_hyphae/mailbox/v1/deposit},
 * {@code POST /_hyphae/mailbox/v1/fetch}, and on every node {@code GET} of its own mailbox record.
 */
public final class MailboxEndpoints implements FederationEndpointGroup {
    // Sizes only: they are what anyone carrying the traffic sees anyway, and they show the padding works.
    private static final Logger LOG = LoggerFactory.getLogger(MailboxEndpoints.class);
    private final Optional<MailboxService> service;
    private final Supplier<Optional<MailboxRecord>> ownRecord;

    /**
     * @param service   the mailbox this node serves, or empty when it serves none
     * @param ownRecord this node's current record, empty when no mailbox serves it
     */
    public MailboxEndpoints(Optional<MailboxService> service, Supplier<Optional<MailboxRecord>> ownRecord) {
        this.service = Objects.requireNonNull(service, "service");
        this.ownRecord = Objects.requireNonNull(ownRecord, "ownRecord");
    }

    @Override
    public void register(FederationRoutes routes) {
        routes.addPublic(Method.GET, MailboxRecords.RECORD_PATH, this::record);
        service.ifPresent(mailbox -> {
            routes.addPublic(Method.POST, MailboxTransport.DEPOSIT_PATH, request -> deposit(mailbox, request));
            routes.addPublic(Method.POST, MailboxTransport.FETCH_PATH, request -> fetch(mailbox, request));
        });
    }

    /** GET /_matrix/federation/unstable/dev.hyphae.mailbox/record */
    private MatrixResponse record(MatrixRequest request) {
        MailboxRecord record = ownRecord.get()
                .orElseThrow(() -> MatrixException.notFound("no mailbox serves this server"));
        return MatrixResponse.ok(CanonicalJson.parse(record.json().getBytes(StandardCharsets.UTF_8)));
    }

    /** POST /_hyphae/mailbox/v1/deposit: 200 {} once stored. */
    private static MatrixResponse deposit(MailboxService mailbox, MatrixRequest request) {
        try {
            mailbox.deposit(request.bodyBytes());
            LOG.info("mailbox deposit of {} bytes: stored", request.bodyBytes().length);
        } catch (MailboxRefusal refusal) {
            LOG.info("mailbox deposit of {} bytes: refused with {}", request.bodyBytes().length, refusal.status());
            throw new MatrixException(refusal.status(), refusal.errcode(), refusal.getMessage());
        }
        return MatrixResponse.ok(JsonNodeFactory.instance.objectNode());
    }

    /** POST /_hyphae/mailbox/v1/fetch: the padded binary answer. */
    private static MatrixResponse fetch(MailboxService mailbox, MatrixRequest request) {
        try {
            byte[] answer = mailbox.fetch(request.bodyBytes());
            LOG.info("mailbox fetch of {} bytes: answered with {} bytes", request.bodyBytes().length, answer.length);
            return MatrixResponse.bytes(200, "application/octet-stream", answer);
        } catch (MailboxRefusal refusal) {
            LOG.info("mailbox fetch of {} bytes: refused with {}", request.bodyBytes().length, refusal.status());
            throw new MatrixException(refusal.status(), refusal.errcode(), refusal.getMessage());
        }
    }

}
