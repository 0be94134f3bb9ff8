package dev.hyphae.store;

/** A unit of reads that sees one consistent snapshot of committed data. */
@FunctionalInterface
public interface ReadUnit<T> {
    /** Reads through {@code tx}; the handle must not be kept or used after this method returns. */
    T run(ReadTransaction tx) throws Exception;
}
