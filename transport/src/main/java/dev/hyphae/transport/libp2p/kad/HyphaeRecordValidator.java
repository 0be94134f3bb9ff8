package dev.hyphae.transport.libp2p.kad;

import java.util.List;

/** Validates {@code /hyphae/} records ({@link HyphaeRecord}) and selects the highest sequence number. */
public final class HyphaeRecordValidator implements RecordValidator {

    @Override
    public void validate(byte[] key, byte[] value) throws InvalidRecordException {
        HyphaeRecord.open(key, value);
    }

    /** Invalid values are skipped; on equal sequence numbers the first one wins, so the choice is stable. */
    @Override
    public int select(byte[] key, List<byte[]> values) throws InvalidRecordException {
        int best = -1;
        long bestSeq = 0;
        for (int i = 0; i < values.size(); i++) {
            HyphaeRecord r;
            try {
                r = HyphaeRecord.open(key, values.get(i));
            } catch (InvalidRecordException e) {
                continue;
            }
            if (best < 0 || Long.compareUnsigned(r.seq(), bestSeq) > 0) {
                best = i;
                bestSeq = r.seq();
            }
        }
        if (best < 0) {
            throw new InvalidRecordException("no valid record among " + values.size());
        }
        return best;
    }
}
