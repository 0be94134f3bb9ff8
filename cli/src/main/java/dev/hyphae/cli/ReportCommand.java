package dev.hyphae.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hyphae.store.ContentReport;
import dev.hyphae.store.sqlite.SqliteStore;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code hyphae report}: the reports of rooms, events and users ("Reporting content") that the
 * node's users made. They are kept for the node's owner only, so this is where the owner reads them.
 */
@Command(name = "report", mixinStandardHelpOptions = true, description = "Read the content reports of the node's users.",
        subcommands = ReportCommand.ListReports.class)
final class ReportCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** What a report is about, as {@code --kind} names it. */
    enum Kind {
        EVENT, ROOM, USER;

        static Kind of(ContentReport report) {
            if (report.eventId().isPresent()) {
                return EVENT;
            }
            return report.roomId().isPresent() ? ROOM : USER;
        }

        String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** {@code hyphae report list}: every report, oldest first, as JSON; the node may be running or stopped. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the reports as JSON, oldest first.")
    static final class ListReports implements Callable<Integer> {
        @Mixin
        DataDirectoryOption dataDirectory;

        @Option(names = "--kind", paramLabel = "KIND", converter = KindConverter.class,
                description = "Only reports of one kind: event, room or user.")
        Kind kind;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            ObjectMapper json = new ObjectMapper();
            ArrayNode reports = json.createArrayNode();
            List<ContentReport> all;
            try (SqliteStore store = SqliteStore.openInDirectory(UserCommand.existingNode(dataDirectory))) {
                all = store.read(tx -> tx.contentReports().all());
            }
            for (ContentReport report : all) {
                Kind reportKind = Kind.of(report);
                if (kind != null && kind != reportKind) {
                    continue;
                }
                ObjectNode entry = reports.addObject();
                entry.put("report_id", report.reportId());
                entry.put("kind", reportKind.wireName());
                entry.put("received_ts", report.receivedTs());
                entry.put("received", Instant.ofEpochMilli(report.receivedTs()).toString());
                entry.put("reporter", report.reporter());
                report.roomId().ifPresent(roomId -> entry.put("room_id", roomId));
                report.eventId().ifPresent(eventId -> entry.put("event_id", eventId));
                report.userId().ifPresent(userId -> entry.put("user_id", userId));
                entry.put("reason", report.reason());
            }
            spec.commandLine().getOut().println(json.writerWithDefaultPrettyPrinter().writeValueAsString(reports));
            return 0;
        }
    }

    /** Reads {@code --kind} in lower case, as the JSON names the kinds. */
    static final class KindConverter implements ITypeConverter<Kind> {
        @Override
        public Kind convert(String value) {
            for (Kind kind : Kind.values()) {
                if (kind.wireName().equals(value)) {
                    return kind;
                }
            }
            throw new TypeConversionException(
                    "'" + value + "' is not a kind of report (event, room or user)");
        }
    }
}
