package dev.hyphae.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code hyphae} command: the only place that wires Hyphae's objects together. */
@Command(
        name = "hyphae",
        mixinStandardHelpOptions = true,
        versionProvider = HyphaeVersion.class,
        description = "A peer-to-peer Matrix homeserver that runs on your own device.")
public final class Hyphae implements Runnable {
    /**
     * The subcommands, in the order of the usage help. Picocli builds a command's model by
     * reflection over its options and mixins; building all of them took about 0.1 s of CPU of
     * every node start, so a command line that names one builds only that one.
     */
    private static final List<Class<?>> SUBCOMMANDS = List.of(RunCommand.class, IdCommand.class, UserCommand.class,
            RoomCommand.class, ReportCommand.class, PeersCommand.class, ConfigCommand.class, P2pCommand.class,
            MailboxCommand.class, TestnetCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        SqliteNativeLibrary.cacheDirectory(System.getenv(), System.getProperty("user.home"))
                .ifPresent(SqliteNativeLibrary::useCachedCopy);
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line and returns the exit code; errors become one line on {@code err}. */
    static int execute(String[] args, PrintWriter out, PrintWriter err) {
        return execute(args, out, err, System.getenv());
    }

    /** As {@link #execute(String[], PrintWriter, PrintWriter)}, with the environment given. */
    static int execute(String[] args, PrintWriter out, PrintWriter err, Map<String, String> environment) {
        ConfigFile config = ConfigLocation.find(args, environment);
        if (args.length > 0 && args[0].equals("run")) {
            List<String> problems = ConfigCheck.problems(config);
            if (!problems.isEmpty()) {
                err.println("hyphae: config " + config.path().map(Object::toString).orElse("") + ": " + problems.get(0)
                        + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more; see 'hyphae config check')" : ""));
                return 1;
            }
        }
        CommandLine commandLine = new CommandLine(new Hyphae());
        // Before the settings below, which picocli applies to the subcommands present at the time.
        subcommandsFor(args).forEach(commandLine::addSubcommand);
        commandLine.setDefaultValueProvider(new ConfiguredDefaults(config, environment));
        CommandLine configCommand = commandLine.getSubcommands().get("config");
        if (configCommand != null) {
            ((ConfigCommand.Check) configCommand.getSubcommands().get("check").getCommand()).config = config;
        }
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler((exception, line, parsed) -> {
            err.println("hyphae: " + oneLine(exception));
            return 1;
        });
        commandLine.setParameterExceptionHandler((exception, rest) -> {
            err.println("hyphae: " + exception.getMessage());
            err.println("Try 'hyphae --help'.");
            return 2;
        });
        return commandLine.execute(args);
    }

    /** The subcommand named first on the command line, or all of them (for help and for errors). */
    static List<Class<?>> subcommandsFor(String[] args) {
        if (args.length > 0) {
            for (Class<?> subcommand : SUBCOMMANDS) {
                if (subcommand.getAnnotation(Command.class).name().equals(args[0])) {
                    return List.of(subcommand);
                }
            }
        }
        return SUBCOMMANDS;
    }

    private static String oneLine(Throwable exception) {
        String message = exception.getMessage();
        if (message == null || message.isBlank()) {
            message = exception.getClass().getSimpleName();
        }
        return message.replace('\n', ' ');
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
