package dev.hyphae.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code hyphae p2p}: talk to other libp2p peers from the command line. */
@Command(name = "p2p", mixinStandardHelpOptions = true,
        description = "Talk to libp2p peers: ping, identify, find-peer.",
        subcommands = {P2pPingCommand.class, P2pIdentifyCommand.class, P2pFindPeerCommand.class})
final class P2pCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
