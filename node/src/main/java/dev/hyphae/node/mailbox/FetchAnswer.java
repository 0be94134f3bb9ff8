package dev.hyphae.node.mailbox;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A mailbox's answer to a fetch: the oldest waiting envelopes with their IDs, and how many more
 * wait. Binary, inside a padded frame of one of {@link PaddedSizes#ANSWER_SIZES}:
 * {@code u32 count, u32 remaining, count * (32-byte ID, u32 length, envelope)}.
 */
public record FetchAnswer(List<Entry> envelopes, long remaining) {
    /** One waiting envelope. */
    public record Entry(byte[] id, byte[] envelope) {
        public Entry {
            id = id.clone();
            envelope = envelope.clone();
        }

        @Override
        public byte[] id() {
            return id.clone();
        }

        @Override
        public byte[] envelope() {
            return envelope.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Entry e && Arrays.equals(e.id, id) && Arrays.equals(e.envelope, envelope);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(id);
        }
    }

    private static final int HEAD = 8;
    private static final int ENTRY_HEAD = FetchRequest.ENVELOPE_ID_LENGTH + 4;

    public FetchAnswer {
        envelopes = List.copyOf(envelopes);
    }

    /** Whether one more envelope of {@code length} bytes fits an answer already holding {@code entries}. */
    static boolean fits(List<Entry> entries, int length) {
        long size = HEAD + PaddedSizes.LENGTH_PREFIX;
        for (Entry entry : entries) {
            size += ENTRY_HEAD + entry.envelope.length;
        }
        size += ENTRY_HEAD + length;
        int largest = PaddedSizes.ANSWER_SIZES.get(PaddedSizes.ANSWER_SIZES.size() - 1);
        return entries.size() < FetchRequest.MAX_ENVELOPES && size <= largest;
    }

    /** The padded answer. */
    public byte[] encode() {
        int size = HEAD + envelopes.stream().mapToInt(entry -> ENTRY_HEAD + entry.envelope.length).sum();
        ByteBuffer buffer = ByteBuffer.allocate(size).putInt(envelopes.size()).putInt((int) Math.min(remaining,
                Integer.MAX_VALUE));
        for (Entry entry : envelopes) {
            buffer.put(entry.id).putInt(entry.envelope.length).put(entry.envelope);
        }
        int frame = PaddedSizes.bucketFor(size + PaddedSizes.LENGTH_PREFIX, PaddedSizes.ANSWER_SIZES)
                .orElseThrow(() -> new IllegalStateException("a fetch answer of " + size + " bytes fits no size"));
        return PaddedSizes.pad(buffer.array(), frame);
    }

    /**
     * Reads an answer.
     *
     * @throws IllegalArgumentException when it is not a well-formed answer of a fixed size
     */
    public static FetchAnswer decode(byte[] body) {
        Objects.requireNonNull(body, "body");
        if (!PaddedSizes.ANSWER_SIZES.contains(body.length)) {
            throw new IllegalArgumentException("a fetch answer is one of " + PaddedSizes.ANSWER_SIZES + " bytes, not "
                    + body.length);
        }
        ByteBuffer buffer = ByteBuffer.wrap(PaddedSizes.unpad(body));
        try {
            int count = buffer.getInt();
            long remaining = Integer.toUnsignedLong(buffer.getInt());
            if (count < 0 || count > FetchRequest.MAX_ENVELOPES) {
                throw new IllegalArgumentException("a fetch answer holds at most " + FetchRequest.MAX_ENVELOPES);
            }
            List<Entry> entries = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                byte[] id = new byte[FetchRequest.ENVELOPE_ID_LENGTH];
                buffer.get(id);
                int length = buffer.getInt();
                if (length < 0 || length > buffer.remaining()) {
                    throw new IllegalArgumentException("an envelope runs past the end of the answer");
                }
                byte[] envelope = new byte[length];
                buffer.get(envelope);
                entries.add(new Entry(id, envelope));
            }
            if (buffer.hasRemaining()) {
                throw new IllegalArgumentException("bytes after the last envelope of the answer");
            }
            return new FetchAnswer(entries, remaining);
        } catch (java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException("a truncated fetch answer", e);
        }
    }
}
