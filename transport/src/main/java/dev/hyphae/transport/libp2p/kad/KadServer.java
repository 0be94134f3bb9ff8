package dev.hyphae.transport.libp2p.kad;

import com.google.protobuf.ByteString;
import dev.hyphae.transport.libp2p.kad.proto.KadProto;
import dev.hyphae.transport.libp2p.kad.proto.KadProto.Message;
import dev.hyphae.transport.libp2p.multiaddr.Multiaddr;
import dev.hyphae.transport.libp2p.peer.PeerId;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers DHT requests (kad-dht spec, "RPC messages"): FIND_NODE, GET_VALUE, PUT_VALUE,
 * GET_PROVIDERS, ADD_PROVIDER and the deprecated PING. Independent of streams, so it can be tested
 * message by message. Thread-safe if its stores are.
 */
public final class KadServer {

    private static final Logger LOG = LoggerFactory.getLogger(KadServer.class);

    private final PeerId local;
    private final Supplier<List<Multiaddr>> localAddrs;
    private final RoutingTable table;
    private final RecordValidator validator;
    private final RecordStore records;
    private final ProviderStore providers;
    private final Clock clock;
    private final int k;

    public KadServer(PeerId local, Supplier<List<Multiaddr>> localAddrs, RoutingTable table, RecordValidator validator,
                     RecordStore records, ProviderStore providers, Clock clock, int k) {
        this.local = local;
        this.localAddrs = localAddrs;
        this.table = table;
        this.validator = validator;
        this.records = records;
        this.providers = providers;
        this.clock = clock;
        this.k = k;
    }

    /**
     * The answer to {@code request} from {@code from}; empty when the request type has none
     * (ADD_PROVIDER).
     *
     * @throws KadProtocolException if the request is malformed or its record invalid
     */
    public Optional<Message> handle(PeerId from, Message request) throws KadProtocolException {
        switch (request.getType()) {
            case FIND_NODE:
                return Optional.of(reply(request).addAllCloserPeers(closerPeers(from, requireKey(request))).build());
            case GET_VALUE:
                return Optional.of(getValue(from, request));
            case PUT_VALUE:
                putValue(request);
                return Optional.of(request);
            case GET_PROVIDERS: {
                byte[] key = requireKey(request);
                return Optional.of(reply(request)
                    .addAllProviderPeers(KadMessages.toProto(providers.get(key)))
                    .addAllCloserPeers(closerPeers(from, key)).build());
            }
            case ADD_PROVIDER:
                addProvider(from, request);
                return Optional.empty();
            case PING:
                return Optional.of(reply(request).build());
            default:
                throw new KadProtocolException("unsupported message type " + request.getType());
        }
    }

    private static Message.Builder reply(Message request) {
        Message.Builder b = Message.newBuilder().setType(request.getType());
        if (request.hasKey()) {
            b.setKey(request.getKey());
        }
        return b;
    }

    private static byte[] requireKey(Message request) throws KadProtocolException {
        if (request.getKey().isEmpty()) {
            throw new KadProtocolException(request.getType() + " without a key");
        }
        return request.getKey().toByteArray();
    }

    /** The k peers nearest to {@code key} we know of, without the asker; ourselves if we are the target. */
    private List<Message.Peer> closerPeers(PeerId from, byte[] key) {
        List<Message.Peer> result = new ArrayList<>();
        if (Arrays.equals(key, local.toBytes())) {
            result.add(KadMessages.toProto(new KadPeer(local, localAddrs.get()), Message.ConnectionType.CONNECTED));
        }
        for (KadPeer p : table.closest(KadId.ofKey(key), k + 1)) {
            if (!p.id().equals(from) && result.size() < k) {
                result.add(KadMessages.toProto(p, Message.ConnectionType.NOT_CONNECTED));
            }
        }
        return result;
    }

    private Message getValue(PeerId from, Message request) throws KadProtocolException {
        byte[] key = requireKey(request);
        Message.Builder b = reply(request).addAllCloserPeers(closerPeers(from, key));
        Optional<RecordStore.Stored> stored = records.get(key);
        if (stored.isPresent()) {
            try {
                // a record may have become invalid since it was stored (e.g. a validator with expiry)
                validator.validate(key, stored.get().value());
                b.setRecord(KadProto.Record.newBuilder().setKey(ByteString.copyFrom(key))
                    .setValue(ByteString.copyFrom(stored.get().value()))
                    .setTimeReceived(stored.get().timeReceived().toString()));
            } catch (InvalidRecordException e) {
                LOG.debug("stored record no longer valid: {}", e.getMessage());
            }
        }
        return b.build();
    }

    private void putValue(Message request) throws KadProtocolException {
        byte[] key = requireKey(request);
        if (!request.hasRecord()) {
            throw new KadProtocolException("PUT_VALUE without a record");
        }
        if (!Arrays.equals(request.getRecord().getKey().toByteArray(), key)) {
            throw new KadProtocolException("PUT_VALUE record key differs from the message key");
        }
        byte[] value = request.getRecord().getValue().toByteArray();
        try {
            validator.validate(key, value);
            Optional<RecordStore.Stored> existing = records.get(key);
            if (existing.isPresent() && validator.select(key, List.of(existing.get().value(), value)) == 0) {
                return; // what we hold is at least as good
            }
        } catch (InvalidRecordException e) {
            throw new KadProtocolException("invalid record: " + e.getMessage());
        }
        records.put(key, value, Instant.now(clock));
    }

    private void addProvider(PeerId from, Message request) throws KadProtocolException {
        byte[] key = requireKey(request);
        for (KadPeer provider : KadMessages.fromProto(request.getProviderPeersList())) {
            // only the sender may announce itself
            if (provider.id().equals(from)) {
                providers.add(key, provider);
            } else {
                LOG.debug("{} announced another peer {} as provider; ignored", from, provider.id());
            }
        }
    }
}
