package dev.hyphae.node.client;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.e2ee.EndToEndEncryption;
import dev.hyphae.node.http.Authentication;
import dev.hyphae.node.http.EndpointGroup;
import dev.hyphae.node.http.JsonBody;
import dev.hyphae.node.http.MatrixRequest;
import dev.hyphae.node.http.MatrixResponse;
import dev.hyphae.node.http.Method;
import dev.hyphae.node.http.Requester;
import dev.hyphae.node.http.RouteTable;
import dev.hyphae.store.ClientTransaction;
import dev.hyphae.store.Store;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Objects;

/**
 * Send-to-device messaging (client-server API, "Send-to-Device messaging"). A retransmission with
 * the same transaction ID from the same device is answered from the store's client transactions
 * and sends nothing again.
 */
public final class ToDeviceEndpoints implements EndpointGroup {
    private static final int LOCK_STRIPES = 64;

    private final EndToEndEncryption e2ee;
    private final Store store;
    private final Clock clock;
    // Two copies of one request racing each other must not both send: requests of one device and
    // transaction ID take the same lock around check, send and record.
    private final Object[] locks = new Object[LOCK_STRIPES];

    public ToDeviceEndpoints(EndToEndEncryption e2ee, Store store, Clock clock) {
        this.e2ee = Objects.requireNonNull(e2ee, "e2ee");
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        for (int i = 0; i < LOCK_STRIPES; i++) {
            locks[i] = new Object();
        }
    }

    @Override
    public void register(RouteTable routes) {
        routes.add(Method.PUT, "/_matrix/client/v3/sendToDevice/{eventType}/{txnId}", Authentication.REQUIRED,
                this::sendToDevice);
    }

    /** PUT /_matrix/client/v3/sendToDevice/{eventType}/{txnId} */
    MatrixResponse sendToDevice(MatrixRequest request) {
        Requester requester = request.requester();
        String eventType = request.pathParameter("eventType");
        String txnId = request.pathParameter("txnId");
        JsonBody body = request.jsonObject();
        ObjectNode messages = body.object("messages").raw();
        String userId = requester.userId().toString();
        // The same key for v3 and r0, and unambiguous whatever the decoded parameters contain.
        String transactionKey = "/_matrix/client/v3/sendToDevice/" + encode(eventType) + "/" + encode(txnId);
        Object lock = locks[Math.floorMod((requester.deviceId() + " " + transactionKey).hashCode(), LOCK_STRIPES)];
        synchronized (lock) {
            boolean repeated = store.read(tx ->
                    tx.clientTransactions().get(userId, requester.deviceId(), transactionKey).isPresent());
            if (!repeated) {
                E2eeErrors.join(E2eeErrors.callAsync(() -> e2ee.toDeviceMessages().send(userId, eventType, messages),
                        done -> done));
                // A crash between the send and this record lets a retransmission deliver the
                // messages again; receiving clients already discard duplicate Olm messages.
                store.write(tx -> tx.clientTransactions().record(new ClientTransaction(userId, requester.deviceId(),
                        transactionKey, 200, "{}", clock.millis()))).join();
            }
        }
        return MatrixResponse.ok(JsonNodeFactory.instance.objectNode());
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8);
    }
}
