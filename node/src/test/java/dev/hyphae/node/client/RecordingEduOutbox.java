package dev.hyphae.node.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyphae.node.federation.EduOutbox;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/** An EDU outbox that keeps what it was asked to send, for tests to look at. */
public final class RecordingEduOutbox implements EduOutbox {
    /** One {@link #send} call. */
    public record SentEdu(Set<String> destinations, String eduType, JsonNode content) {
    }

    private final List<SentEdu> sent = new CopyOnWriteArrayList<>();

    @Override
    public void send(Collection<String> destinations, String eduType, JsonNode content) {
        sent.add(new SentEdu(Set.copyOf(destinations), eduType, content.deepCopy()));
    }

    /** The EDUs of one type sent so far, oldest first. */
    public List<SentEdu> sent(String eduType) {
        return sent.stream().filter(edu -> edu.eduType().equals(eduType)).toList();
    }
}
