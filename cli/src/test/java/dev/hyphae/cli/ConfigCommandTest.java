package dev.hyphae.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.hyphae.node.http.RateLimit;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ConfigCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int hyphae(Map<String, String> environment, String... args) {
        return Hyphae.execute(args, new PrintWriter(out, true), new PrintWriter(err, true), environment);
    }

    private RunCommand parsedRun(Path config, Map<String, String> environment, String... args) {
        RunCommand run = new RunCommand();
        CommandLine commandLine = new CommandLine(run);
        commandLine.setDefaultValueProvider(new ConfiguredDefaults(ConfigFile.read(config, true), environment));
        commandLine.parseArgs(args);
        return run;
    }

    @Test
    void aFlagBeatsTheEnvironmentWhichBeatsTheFileWhichBeatsTheDefault() throws Exception {
        Path config = Files.writeString(dir.resolve("config.yaml"), "listen: 127.0.0.1:7001\nopen-registration: true\n");
        Map<String, String> environment = Map.of("HYPHAE_LISTEN", "127.0.0.1:7002");

        assertEquals("127.0.0.1:7003", parsedRun(config, environment, "--listen", "127.0.0.1:7003").listen);
        assertEquals("127.0.0.1:7002", parsedRun(config, environment).listen);
        assertEquals("127.0.0.1:7001", parsedRun(config, Map.of()).listen);
        assertTrue(parsedRun(config, Map.of()).openRegistration);
        Path empty = Files.writeString(dir.resolve("empty.yaml"), "");
        assertEquals("127.0.0.1:8008", parsedRun(empty, Map.of()).listen);
    }

    @Test
    void aListInTheFileGivesARepeatableOptionEachItem() throws Exception {
        Path config = Files.writeString(dir.resolve("config.yaml"),
                "p2p-listen:\n  - /ip4/127.0.0.1/tcp/4101\n  - /ip4/127.0.0.1/tcp/4102\nregistration-token: [one, two]\n");
        RunCommand run = parsedRun(config, Map.of());
        assertEquals(List.of("/ip4/127.0.0.1/tcp/4101", "/ip4/127.0.0.1/tcp/4102"), run.libp2p.listen);
        assertEquals(List.of("one", "two"), run.registrationTokens);
    }

    @Test
    void checkExplainsEachProblemOnItsOwnLine() throws Exception {
        Path config = Files.writeString(dir.resolve("config.yaml"), String.join("\n",
                "listen: nowhere",
                "open-registration: maybe",
                "bootstrap: [/ip4/127.0.0.1/tcp/x]",
                "colour: blue",
                "p2p-listen: {nested: 1}", ""));
        assertEquals(1, hyphae(Map.of(), "config", "check", "--config", config.toString()));
        List<String> lines = err.toString().lines().toList();
        assertEquals(5, lines.size(), err.toString());
        assertTrue(lines.stream().allMatch(line -> line.startsWith(config + ": ")), err.toString());
        assertTrue(err.toString().contains("listen: must be HOST:PORT"), err.toString());
        assertTrue(err.toString().contains("open-registration: must be true or false"), err.toString());
        assertTrue(err.toString().contains("bootstrap: invalid multiaddr"), err.toString());
        assertTrue(err.toString().contains("colour: not an option of 'hyphae run'"), err.toString());
        assertTrue(err.toString().contains("p2p-listen: must be a value or a list of values"), err.toString());
    }

    @Test
    void checkReportsASyntaxErrorWithItsLine() throws Exception {
        Path config = Files.writeString(dir.resolve("config.yaml"), "listen: [unclosed\n");
        assertEquals(1, hyphae(Map.of(), "config", "check", "--config", config.toString()));
        assertEquals(1, err.toString().lines().count(), err.toString());
        assertTrue(err.toString().contains("not valid YAML"), err.toString());
    }

    @Test
    void checkAcceptsAGoodFileAndAMissingDefaultFile() throws Exception {
        Path config = Files.writeString(dir.resolve("config.yaml"), "listen: 127.0.0.1:8448\nbootstrap: []\n");
        assertEquals(0, hyphae(Map.of(), "config", "check", "--config", config.toString()), err.toString());
        assertTrue(out.toString().endsWith(": ok\n"), out.toString());
        assertEquals(0, hyphae(Map.of(), "config", "check", "--data-dir", dir.resolve("none").toString()), err.toString());
    }

    @Test
    void aNamedFileThatDoesNotExistIsAProblem() {
        assertEquals(1, hyphae(Map.of("HYPHAE_CONFIG", dir.resolve("missing.yaml").toString()), "config", "check"));
        assertTrue(err.toString().contains("file not found"), err.toString());
    }

    @Test
    void runRefusesABrokenConfigInOneLine() throws Exception {
        Files.writeString(dir.resolve("config.yaml"), "colour: blue\n");
        assertEquals(1, hyphae(Map.of(), "run", "--data-dir", dir.toString()));
        assertEquals(1, err.toString().lines().count(), err.toString());
        assertTrue(err.toString().startsWith("hyphae: config "), err.toString());
    }

    @Test
    void theSampleIsAValidConfigNamingEveryOption() throws Exception {
        assertEquals(0, hyphae(Map.of(), "config", "sample"), err.toString());
        String sample = out.toString();
        for (String key : List.of("listen", "open-registration", "registration-token", "p2p-listen", "bootstrap", "data-dir")) {
            assertTrue(sample.contains("#" + key + ": "), key + " missing from\n" + sample);
        }
        // With every option's comment mark removed, the sample is a file that passes the check.
        String uncommented = sample.lines().filter(line -> line.startsWith("#") && !line.startsWith("# ") && line.contains(": "))
                .map(line -> line.substring(1)).reduce("", (a, b) -> a + b + "\n");
        new ObjectMapper(new YAMLFactory()).readTree(uncommented);
        Path config = Files.writeString(dir.resolve("sample.yaml"), uncommented);
        assertTrue(ConfigCheck.problems(ConfigFile.read(config, true)).isEmpty(),
                ConfigCheck.problems(ConfigFile.read(config, true)) + "\n" + uncommented);
    }

    @Test
    void rateLimitsComeFromTheFlagTheEnvironmentOrTheFile() throws Exception {
        Path config = Files.writeString(dir.resolve("config.yaml"),
                "rate-limit-per-ip: 1000/2000\nrate-limit-per-user: 0\n");
        Map<String, String> environment = Map.of("HYPHAE_RATE_LIMIT_PER_IP", "500/600");

        assertEquals(new RateLimit(300, 300), limits(parsedRun(config, environment, "--rate-limit-per-ip", "300/300")).perIp());
        assertEquals(new RateLimit(500, 600), limits(parsedRun(config, environment)).perIp());
        assertEquals(new RateLimit(1000, 2000), limits(parsedRun(config, Map.of())).perIp());
        assertTrue(limits(parsedRun(config, Map.of())).perUser().isUnlimited());
        Path empty = Files.writeString(dir.resolve("empty.yaml"), "");
        assertEquals(ClientRateLimits.defaults(), limits(parsedRun(empty, Map.of())));
    }

    private ClientRateLimits limits(RunCommand run) {
        return run.rateLimits.limits();
    }

    @Test
    void checkNamesABadRateLimitInTheFile() throws Exception {
        Path config = Files.writeString(dir.resolve("config.yaml"), "rate-limit-per-user: 10/none\n");
        assertEquals(1, hyphae(Map.of(), "config", "check", "--config", config.toString()));
        assertEquals(1, err.toString().lines().count(), err.toString());
        assertTrue(err.toString().contains("rate-limit-per-user: burst must be a whole number"), err.toString());
    }

    @Test
    void runRefusesABadRateLimitFlagWithItsReasonOnOneLine() {
        assertEquals(2, hyphae(Map.of(), "run", "--data-dir", dir.toString(), "--no-tor", "--no-mdns",
                "--rate-limit-per-ip", "lots"));
        String reason = err.toString().lines().findFirst().orElse("");
        assertTrue(reason.startsWith("hyphae: --rate-limit-per-ip must be RATE[/BURST]"), err.toString());
    }
}
