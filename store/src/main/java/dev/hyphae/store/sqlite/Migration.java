package dev.hyphae.store.sqlite;

import java.util.List;

/** One numbered step of the schema; it runs once, in its own transaction. */
record Migration(int version, String description, List<String> statements) {
    Migration {
        if (version < 1) {
            throw new IllegalArgumentException("migration versions start at 1");
        }
        statements = List.copyOf(statements);
    }
}
