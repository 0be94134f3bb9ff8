package dev.hyphae.node.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.hyphae.store.EventSearch;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SearchBatchTokenTest {
    @Test
    void aTokenReadsBackAsWritten() {
        SearchBatchToken plain = SearchBatchToken.of(EventSearch.Order.RECENT, 42);
        assertEquals(plain, SearchBatchToken.parse(plain.toString()));
        SearchBatchToken grouped = SearchBatchToken.of(EventSearch.Order.RANK, 7).inGroup("room_id", "!r:x.onion");
        assertEquals(grouped, SearchBatchToken.parse(grouped.toString()));
    }

    @Test
    void anythingElseIsRefused() {
        for (String bad : new String[] {"", "%%%", "abc", encode("s1\nrank"), encode("s1\nbest\n1"),
                encode("s1\nrank\n-1"), encode("s1\nrank\nx"), encode("s2\nrank\n1"), encode("s1\nrank\n1\ntype\nv")}) {
            assertThrows(IllegalArgumentException.class, () -> SearchBatchToken.parse(bad), bad);
        }
    }

    private static String encode(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
