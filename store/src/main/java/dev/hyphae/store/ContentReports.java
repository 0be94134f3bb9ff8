package dev.hyphae.store;

import java.util.List;

/** Reports of content by local users, for the node's owner to read; they never leave the node. */
public interface ContentReports {
    /** Every report, oldest first. */
    List<ContentReport> all();

    interface Writer extends ContentReports {
        /** Stores the report and returns its ID (its {@code reportId} is ignored). */
        long insert(ContentReport report);
    }
}
