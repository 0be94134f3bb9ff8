package dev.hyphae.node.mailbox;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;

/**
 * The few fixed sizes every body a mailbox sees has: envelopes, fetch requests and fetch answers.
 * A padded frame is a 4-byte big-endian length, the content, then zeros up to the smallest size
 * that holds it, so an observer of sizes learns only the bucket.
 */
public final class PaddedSizes {
    /** Envelope sizes: 4 KiB (a few events), 32 KiB, 256 KiB (a full transaction of small events). */
    public static final List<Integer> ENVELOPE_SIZES = List.of(4 * 1024, 32 * 1024, 256 * 1024);
    /** A fetch request is always this size. */
    public static final int FETCH_REQUEST_SIZE = 4 * 1024;
    /** Fetch answers: the envelope sizes and 1 MiB, which holds several envelopes. */
    public static final List<Integer> ANSWER_SIZES = List.of(4 * 1024, 32 * 1024, 256 * 1024, 1024 * 1024);
    static final int LENGTH_PREFIX = 4;

    private PaddedSizes() {
    }

    /** The smallest of {@code sizes} that holds {@code length} bytes; empty when none does. */
    public static java.util.OptionalInt bucketFor(int length, List<Integer> sizes) {
        for (int size : sizes) {
            if (length <= size) {
                return java.util.OptionalInt.of(size);
            }
        }
        return java.util.OptionalInt.empty();
    }

    /** The largest content a padded frame of {@code size} holds. */
    public static int capacity(int size) {
        return size - LENGTH_PREFIX;
    }

    /**
     * {@code content} behind its length, zero-padded to exactly {@code size} bytes.
     *
     * @throws IllegalArgumentException when it does not fit
     */
    public static byte[] pad(byte[] content, int size) {
        Objects.requireNonNull(content, "content");
        if (content.length > capacity(size)) {
            throw new IllegalArgumentException(content.length + " bytes do not fit a padded frame of " + size);
        }
        return ByteBuffer.allocate(size).putInt(content.length).put(content).array();
    }

    /**
     * The content of a padded frame.
     *
     * @throws IllegalArgumentException when the length is impossible or the padding is not zeros
     */
    public static byte[] unpad(byte[] frame) {
        Objects.requireNonNull(frame, "frame");
        if (frame.length < LENGTH_PREFIX) {
            throw new IllegalArgumentException("a padded frame is at least 4 bytes");
        }
        ByteBuffer buffer = ByteBuffer.wrap(frame);
        int length = buffer.getInt();
        if (length < 0 || length > frame.length - LENGTH_PREFIX) {
            throw new IllegalArgumentException("a padded frame of " + frame.length + " bytes cannot hold " + length);
        }
        byte[] content = new byte[length];
        buffer.get(content);
        for (int i = LENGTH_PREFIX + length; i < frame.length; i++) {
            if (frame[i] != 0) {
                throw new IllegalArgumentException("the padding of a frame must be zeros");
            }
        }
        return content;
    }
}
