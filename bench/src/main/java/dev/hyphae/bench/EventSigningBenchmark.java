package dev.hyphae.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.node.event.ContentHash;
import dev.hyphae.node.event.EventSigner;
import dev.hyphae.node.event.Pdu;
import dev.hyphae.node.event.PduFactory;
import dev.hyphae.node.event.PduVerifier;
import dev.hyphae.node.event.Redaction;
import dev.hyphae.node.event.ReferenceHash;
import dev.hyphae.node.event.VerifiedSignatures;
import dev.hyphae.node.json.CanonicalJson;
import dev.hyphae.node.room.RoomVersion;
import dev.hyphae.node.room.RoomVersions;
import dev.hyphae.node.signing.JsonSigning;
import dev.hyphae.node.signing.ServerKeyLookup;
import dev.hyphae.node.signing.ServerVerifyKey;
import dev.hyphae.node.signing.SignatureCheck;
import dev.hyphae.node.signing.SigningKey;
import dev.hyphae.node.signing.VerifyKey;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-event cost of signing and verifying a room version 12 {@code m.room.message} PDU, and its
 * parts: canonical JSON, the Ed25519 signature, the signature check, the two hashes.
 *
 * <p>{@link #signAndVerify} is the figure the throughput goal speaks of: one event finished by
 * {@link EventSigner} (content hash, redaction, signature, format check, event ID) and checked by
 * {@link PduVerifier} (signature of the sender's server, content hash). Single-threaded.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Threads(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class EventSigningBenchmark {
    static final String SERVER = "hyphae.example";
    static final String KEY_ID = "ed25519:bench";
    /** 160 characters: a typical chat line. */
    static final String BODY = "Moving the release to Thursday: the federation tests on the staging servers still fail"
            + " now and then, and I would rather find out why before we tag anything new.";

    private final RoomVersion version = RoomVersions.get("12");
    private SigningKey key;
    private VerifyKey verifyKey;
    private EventSigner signer;
    private PduVerifier verifier;
    /** A verifier remembering verified signatures, already holding the one of {@link #signed}. */
    private PduVerifier rememberingVerifier;
    /** {@link #signed} as read back from the store: without the signed bytes kept when it was finished. */
    private Pdu stored;
    /** The unsigned event; every operation finishes its own copy, since {@code finish} takes ownership. */
    private ObjectNode template;
    /** One finished event and the parts the single-step benchmarks start from. */
    private Pdu signed;
    private ObjectNode signedJson;
    private byte[] signedWire;
    private ObjectNode redacted;
    private byte[] signedBytes;
    private byte[] signature;
    /** The same key in the JDK's own Ed25519 (SunEC), to compare with BouncyCastle. */
    private Signature jdkSigner;
    private Signature jdkVerifier;

    @Setup
    public void setUp() {
        byte[] seed = new byte[SigningKey.SEED_LENGTH];
        for (int i = 0; i < seed.length; i++) {
            seed[i] = (byte) (i * 7 + 3);
        }
        key = SigningKey.fromSeed(KEY_ID, seed);
        verifyKey = key.verifyKey();
        signer = new EventSigner(SERVER, key, new SecureRandom());
        ServerVerifyKey published = new ServerVerifyKey(verifyKey, Long.MAX_VALUE);
        ServerKeyLookup keys = (server, keyId) -> SERVER.equals(server) && KEY_ID.equals(keyId)
                ? Optional.of(published) : Optional.empty();
        verifier = new PduVerifier(keys);
        template = message();

        signed = signer.finish(template.deepCopy(), version);
        signedJson = signed.json();
        signedWire = signed.canonicalJson();
        redacted = Redaction.redact(signedJson, version.redaction());
        signedBytes = JsonSigning.signedBytes(redacted);
        signature = key.sign(signedBytes);
        check(verifier.checkSignatures(signed));
        rememberingVerifier = new PduVerifier(keys, new VerifiedSignatures(1024));
        check(rememberingVerifier.checkSignatures(signed));
        stored = Pdu.fromStoredJson(signed.eventId(), signed.canonicalJson(), version);
        check(verifier.checkSignatures(stored));
        check(JsonSigning.verify(redacted, SERVER, verifyKey));
        if (!PduVerifier.contentHashMatches(signed) || !verifyKey.verify(signedBytes, signature)) {
            throw new IllegalStateException("the benchmark event does not verify");
        }
        jdkSetUp(seed);
        System.out.println("\n[fixture] room v12 m.room.message, " + signedWire.length + " bytes of canonical JSON"
                + " (signed), body " + BODY.length() + " chars, " + signed.eventId());
    }

    private void jdkSetUp(byte[] seed) {
        // DER prefixes of PKCS#8 and X.509 Ed25519 keys (RFC 8410), followed by the raw 32 bytes.
        byte[] pkcs8 = concat(new byte[] {0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70,
            0x04, 0x22, 0x04, 0x20}, seed);
        byte[] x509 = concat(new byte[] {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00},
                key.publicKey());
        try {
            KeyFactory factory = KeyFactory.getInstance("Ed25519");
            jdkSigner = Signature.getInstance("Ed25519");
            jdkSigner.initSign(factory.generatePrivate(new PKCS8EncodedKeySpec(pkcs8)));
            jdkVerifier = Signature.getInstance("Ed25519");
            jdkVerifier.initVerify(factory.generatePublic(new X509EncodedKeySpec(x509)));
            if (!java.util.Arrays.equals(jdkEd25519Sign(), signature) || !jdkEd25519Verify()) {
                throw new IllegalStateException("the JDK and BouncyCastle signatures differ");
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no Ed25519", e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    /** A message as a client sends it through its server: two prev_events, three auth_events. */
    static ObjectNode message() {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        ObjectNode event = nodes.objectNode();
        event.put("room_id", "!Nhcu5BS-UMnFX7hBVfVSoXiD7OgH6iRT-xyIuqDnpYQ");
        event.put("sender", "@alice:" + SERVER);
        event.put("type", "m.room.message");
        ObjectNode content = event.putObject("content");
        content.put("msgtype", "m.text");
        content.put("body", BODY);
        event.put("depth", 4711);
        event.put("origin_server_ts", 1_763_900_000_000L);
        ArrayNode prev = event.putArray("prev_events");
        prev.add("$6Bz7sGWAGtNzGSo4sx5VJfuvjXfOuFLJfDaAbcSwK3E");
        prev.add("$YrEJ-Rv5mkUkIvU6TpxT-pWFVdVGFmLo1NLdRrFfiN0");
        ArrayNode auth = event.putArray("auth_events");
        auth.add("$Cdo12vYpTeSwxfUcP2ZIrAyAe3xGFJpMBq-bmhDkAms");
        auth.add("$gzlptpH-Qd0wnqLmLATcJ6ZNW1bYwJHfyPj31QX5zEY");
        auth.add("$kO3u9gfjQJZ2Rlrxu3jP8OlYyWu7H5aKl6SwWBJMDgk");
        return event;
    }

    private static void check(SignatureCheck check) {
        if (!check.valid()) {
            throw new IllegalStateException("the benchmark event does not verify: " + check.reason());
        }
    }

    /** The goal's figure: sign an event ready to send, then check its signature and content hash. */
    @Benchmark
    public boolean signAndVerify() {
        Pdu pdu = signer.finish(template.deepCopy(), version);
        return verifier.checkSignatures(pdu).valid() && PduVerifier.contentHashMatches(pdu);
    }

    /**
     * The whole trip: sign, encode for the wire, parse and build the PDU as the receiving server
     * does (format check, event ID), check signature and content hash.
     */
    @Benchmark
    public boolean signSendReceiveVerify() {
        byte[] wire = signer.finish(template.deepCopy(), version).canonicalJson();
        Pdu received = PduFactory.fromFederation(wire, version);
        return verifier.checkSignatures(received).valid() && PduVerifier.contentHashMatches(received);
    }

    /** Sending side alone: {@link EventSigner#finish}. */
    @Benchmark
    public Pdu finish() {
        return signer.finish(template.deepCopy(), version);
    }

    /** Receiving side alone: {@link PduVerifier#checkSignatures} and the content hash. */
    @Benchmark
    public boolean checkSignaturesAndContentHash() {
        return verifier.checkSignatures(signed).valid() && PduVerifier.contentHashMatches(signed);
    }

    /** {@link PduVerifier#checkSignatures} alone (redaction, signed bytes, key lookup, Ed25519). */
    @Benchmark
    public SignatureCheck checkSignatures() {
        return verifier.checkSignatures(signed);
    }

    /**
     * {@link PduVerifier#checkSignatures} of an event read back from the store, which must encode
     * the signed bytes again.
     */
    @Benchmark
    public SignatureCheck checkSignaturesStored() {
        return verifier.checkSignatures(stored);
    }

    /** {@link PduVerifier#checkSignatures} of an event whose signature was verified before. */
    @Benchmark
    public SignatureCheck checkSignaturesRemembered() {
        return rememberingVerifier.checkSignatures(stored);
    }

    /** Receiving side, parse step: strict parse, format check, event ID. */
    @Benchmark
    public Pdu parseFromFederation() {
        return PduFactory.fromFederation(signedWire, version);
    }

    /** Canonical JSON of the whole signed event. */
    @Benchmark
    public byte[] canonicalJson() {
        return CanonicalJson.encode(signedJson);
    }

    /** Canonical JSON of the redacted event without signatures: the bytes a signature covers. */
    @Benchmark
    public byte[] canonicalJsonSignedBytes() {
        return JsonSigning.signedBytes(redacted);
    }

    /** The redaction algorithm alone (no copying of kept subtrees). */
    @Benchmark
    public ObjectNode redact() {
        return Redaction.redact(signedJson, version.redaction());
    }

    /** Content hash (canonical JSON without hashes and signatures, SHA-256). */
    @Benchmark
    public byte[] contentHash() {
        return ContentHash.compute(signedJson);
    }

    /** Event ID: redaction, canonical JSON, SHA-256, URL-safe base64. */
    @Benchmark
    public String referenceHashEventId() {
        return ReferenceHash.eventId(signedJson, version);
    }

    /** Signing alone: canonical JSON of the redacted event and the Ed25519 signature, base64. */
    @Benchmark
    public String sign() {
        return JsonSigning.signature(redacted, key);
    }

    /** Checking one signature alone: canonical JSON of the redacted event and Ed25519 verification. */
    @Benchmark
    public SignatureCheck verify() {
        return JsonSigning.verify(redacted, SERVER, verifyKey);
    }

    /** The Ed25519 signature over precomputed bytes (BouncyCastle), no JSON. */
    @Benchmark
    public byte[] ed25519Sign() {
        return key.sign(signedBytes);
    }

    /** The Ed25519 verification over precomputed bytes (BouncyCastle), no JSON. */
    @Benchmark
    public boolean ed25519Verify() {
        return verifyKey.verify(signedBytes, signature);
    }

    /** The JDK's Ed25519 signature (SunEC) over the same bytes, for comparison. */
    @Benchmark
    public byte[] jdkEd25519Sign() throws GeneralSecurityException {
        jdkSigner.update(signedBytes);
        return jdkSigner.sign();
    }

    /** The JDK's Ed25519 verification (SunEC) over the same bytes, for comparison. */
    @Benchmark
    public boolean jdkEd25519Verify() throws GeneralSecurityException {
        jdkVerifier.update(signedBytes);
        return jdkVerifier.verify(signature);
    }

    /** The copy each signing operation above makes of the template, to subtract if wanted. */
    @Benchmark
    public ObjectNode copyTemplate() {
        return template.deepCopy();
    }
}
