package dev.hyphae.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hyphae run} as its own OS process, the way a user runs it. */
class RunCommandIT {
    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedMessageSurvivesTheNodeBeingKilled() throws Exception {
        List<String> sent = new ArrayList<>();
        String roomId;
        try (NodeProcess node = new NodeProcess(dir.resolve("a"), List.of()).start()) {
            MatrixTestClient alice = new MatrixTestClient(node.url()).register("alice", "correct horse");
            roomId = alice.createRoom(new ObjectMapper().createObjectNode().put("name", "durable"));
            for (int i = 0; i < 50; i++) {
                alice.sendText(roomId, "message " + i);
                sent.add("message " + i);
            }
            node.kill();

            node.start();
            assertEquals(sent, new MatrixTestClient(node.url()).login("alice", "correct horse").texts(roomId));
        }
    }
}
