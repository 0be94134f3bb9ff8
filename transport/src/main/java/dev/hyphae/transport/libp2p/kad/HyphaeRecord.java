package dev.hyphae.transport.libp2p.kad;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.hyphae.transport.libp2p.kad.proto.KadProto;
import dev.hyphae.transport.libp2p.peer.Envelope;
import dev.hyphae.transport.libp2p.peer.InvalidEnvelopeException;
import dev.hyphae.transport.libp2p.peer.PeerId;
import dev.hyphae.transport.libp2p.peer.PrivateKey;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A record in Hyphae's DHT namespace. Format:
 * <ul>
 *   <li>key: UTF-8 {@code /hyphae/<publisher peer id, base58>/<name>}; the name is any non-empty
 *       text chosen by the publisher (e.g. {@code addrs}).</li>
 *   <li>value: a libp2p signed envelope (domain {@value #DOMAIN}, payload type
 *       {@value #PAYLOAD_TYPE}) whose payload is the protobuf {@code HyphaeRecord} {key, seq,
 *       data}. The envelope's signer must be the publisher named in the key, and the payload's key
 *       must equal the DHT key, so a record cannot be replayed under another key.</li>
 *   <li>Of two valid records, the higher {@code seq} wins.</li>
 * </ul>
 */
public record HyphaeRecord(byte[] key, PeerId publisher, long seq, byte[] data) {

    public static final String NAMESPACE = "hyphae";
    public static final String DOMAIN = "hyphae-dht-record";
    public static final String PAYLOAD_TYPE = "/hyphae/dht-record";

    public HyphaeRecord {
        key = key.clone();
        Objects.requireNonNull(publisher, "publisher");
        data = data.clone();
    }

    @Override
    public byte[] key() {
        return key.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    /** The DHT key under which {@code publisher} publishes {@code name}. */
    public static byte[] key(PeerId publisher, String name) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("record name must not be empty");
        }
        return ("/" + NAMESPACE + "/" + publisher.toBase58() + "/" + name).getBytes(StandardCharsets.UTF_8);
    }

    /** Signs a record for {@code key(signer's id, name)}: the value to PUT. */
    public static byte[] sign(PrivateKey signer, String name, long seq, byte[] data) {
        byte[] key = key(signer.peerId(), name);
        byte[] payload = KadProto.HyphaeRecord.newBuilder()
            .setKey(ByteString.copyFrom(key)).setSeq(seq).setData(ByteString.copyFrom(data))
            .build().toByteArray();
        return Envelope.seal(signer, DOMAIN, PAYLOAD_TYPE.getBytes(StandardCharsets.UTF_8), payload).toBytes();
    }

    /**
     * Opens and checks the value stored under {@code key}.
     *
     * @throws InvalidRecordException with the reason when the key or value is not a valid record
     */
    public static HyphaeRecord open(byte[] key, byte[] value) throws InvalidRecordException {
        PeerId publisher = publisherOf(key);
        Envelope envelope;
        try {
            envelope = Envelope.open(value, DOMAIN);
        } catch (InvalidEnvelopeException e) {
            throw new InvalidRecordException("bad envelope: " + e.getMessage());
        }
        if (!Arrays.equals(envelope.payloadType(), PAYLOAD_TYPE.getBytes(StandardCharsets.UTF_8))) {
            throw new InvalidRecordException("envelope payload type is not " + PAYLOAD_TYPE);
        }
        if (!publisher.matches(envelope.publicKey())) {
            throw new InvalidRecordException("record signed by " + envelope.publicKey().toPeerId()
                + ", not by the key's peer " + publisher);
        }
        KadProto.HyphaeRecord payload;
        try {
            payload = KadProto.HyphaeRecord.parseFrom(envelope.payload());
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidRecordException("malformed record payload: " + e.getMessage());
        }
        if (!Arrays.equals(payload.getKey().toByteArray(), key)) {
            throw new InvalidRecordException("record was signed for another key");
        }
        if (!payload.hasSeq()) {
            throw new InvalidRecordException("record has no sequence number");
        }
        return new HyphaeRecord(key, publisher, payload.getSeq(), payload.getData().toByteArray());
    }

    private static PeerId publisherOf(byte[] key) throws InvalidRecordException {
        String text = new String(key, StandardCharsets.UTF_8);
        String prefix = "/" + NAMESPACE + "/";
        if (!text.startsWith(prefix)) {
            throw new InvalidRecordException("not a /" + NAMESPACE + "/ key");
        }
        int slash = text.indexOf('/', prefix.length());
        if (slash < 0 || slash == text.length() - 1) {
            throw new InvalidRecordException("key lacks /<peer id>/<name>");
        }
        String idText = text.substring(prefix.length(), slash);
        PeerId publisher;
        try {
            publisher = PeerId.parse(idText);
        } catch (IllegalArgumentException e) {
            throw new InvalidRecordException("key names no valid peer id: " + e.getMessage());
        }
        // one spelling per key, so that the same record cannot live under two keys
        if (!publisher.toBase58().equals(idText)) {
            throw new InvalidRecordException("key must name the peer id in base58");
        }
        return publisher;
    }
}
