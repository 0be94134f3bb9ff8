package dev.hyphae.store;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Contract: the relations index and the redactions received, pending and applied. */
public interface RelationsContract extends StoreFixture {
    String CAROL = "@carol:example.onion";

    private StoredRelation relation(String child, String parent, String relType, String sender, long ordering,
            long ts) {
        return new StoredRelation(child, ROOM, parent, relType, "m.room.message", sender, ordering, ts);
    }

    private List<String> ids(List<StoredRelation> relations) {
        return relations.stream().map(StoredRelation::eventId).toList();
    }

    @Test
    default void childrenArePagedByStreamOrderingInBothDirectionsAndNarrowedByType() {
        write(tx -> {
            tx.relations().add(relation("$t1", "$root", "m.thread", ALICE, 2, 10));
            tx.relations().add(relation("$e1", "$root", "m.replace", ALICE, 3, 11));
            tx.relations().add(relation("$t2", "$root", "m.thread", CAROL, 4, 12));
            tx.relations().add(relation("$x", "$other", "m.thread", CAROL, 5, 13));
            return null;
        });
        reopenStore();
        assertEquals(List.of("$t2", "$e1", "$t1"),
                ids(store().read(tx -> tx.relations().children("$root", null, null, 0, Long.MAX_VALUE, false, 10))));
        assertEquals(List.of("$t1", "$t2"),
                ids(store().read(tx -> tx.relations().children("$root", "m.thread", null, 0, Long.MAX_VALUE, true, 10))));
        assertEquals(List.of("$e1"),
                ids(store().read(tx -> tx.relations().children("$root", null, null, 2, 4, true, 10))));
        assertEquals(List.of(), ids(store().read(tx -> tx.relations().children("$root", null, "m.reaction", 0, 99, true, 10))));
        assertEquals(2, (long) store().read(tx -> tx.relations().count("$root", "m.thread")));
        assertTrue(readFlag(tx -> tx.relations().hasChildFrom("$root", "m.thread", CAROL)));
        assertFalse(readFlag(tx -> tx.relations().hasChildFrom("$root", "m.replace", CAROL)));
        Map<String, StoredRelation> latest = store().read(tx -> tx.relations().latestChildren(Set.of("$root", "$other", "$none"), "m.thread"));
        assertEquals(Map.of("$root", "$t2", "$other", "$x"), Map.of("$root", latest.get("$root").eventId(), "$other", latest.get("$other").eventId()));
    }

    @Test
    default void aSecondRelationForTheSameChildIsIgnoredAndARemovedOneIsGone() {
        assertTrue(writeFlag(tx -> tx.relations().add(relation("$c", "$p", "m.reference", ALICE, 1, 1))));
        assertFalse(writeFlag(tx -> tx.relations().add(relation("$c", "$q", "m.reference", ALICE, 1, 1))));
        assertEquals("$p", store().read(tx -> tx.relations().get("$c")).orElseThrow().parentId());
        assertTrue(writeFlag(tx -> tx.relations().remove("$c")));
        assertFalse(writeFlag(tx -> tx.relations().remove("$c")));
        assertEquals(Optional.empty(), store().read(tx -> tx.relations().get("$c")));
    }

    @Test
    default void theLatestEditIsTheNewestTimestampThenTheGreatestEventIdOfTheSameSenderAndType() {
        write(tx -> {
            tx.relations().add(relation("$a", "$orig", "m.replace", ALICE, 1, 50));
            tx.relations().add(relation("$c", "$orig", "m.replace", ALICE, 2, 60));
            tx.relations().add(relation("$b", "$orig", "m.replace", ALICE, 3, 60));
            tx.relations().add(relation("$z", "$orig", "m.replace", CAROL, 4, 99));
            return null;
        });
        assertEquals("$c", store().read(tx -> tx.relations().latestFrom("$orig", "m.replace", ALICE, "m.room.message"))
                .orElseThrow().eventId());
        assertEquals(Optional.empty(), store().read(tx -> tx.relations().latestFrom("$orig", "m.replace", ALICE, "m.sticker")));
    }

    @Test
    default void threadsAreOrderedByTheirNewestEventAndFilteredByParticipant() {
        createRoom(ROOM);
        write(tx -> {
            tx.events().insert(new NewEvent("$rootA", ROOM, "m.room.message", null, CAROL, 1, 1, "{}", false, null,
                    List.of(), List.of()));
            tx.relations().add(relation("$a1", "$rootA", "m.thread", CAROL, 10, 1));
            tx.relations().add(relation("$b1", "$rootB", "m.thread", ALICE, 11, 1));
            tx.relations().add(relation("$a2", "$rootA", "m.thread", CAROL, 12, 1));
            tx.relations().add(relation("$r", "$rootC", "m.reference", ALICE, 13, 1));
            return null;
        });
        List<StoredRelation> all = store().read(tx -> tx.relations().threads(ROOM, null, Long.MAX_VALUE, 10));
        assertEquals(List.of("$rootA", "$rootB"), all.stream().map(StoredRelation::parentId).toList());
        assertEquals(List.of("$a2", "$b1"), ids(all));
        assertEquals(List.of("$rootB"), store().read(tx -> tx.relations().threads(ROOM, null, 12, 10))
                .stream().map(StoredRelation::parentId).toList());
        assertEquals(List.of("$rootB"), store().read(tx -> tx.relations().threads(ROOM, ALICE, Long.MAX_VALUE, 10))
                .stream().map(StoredRelation::parentId).toList());
        // Carol sent the root of A and both of its thread events.
        assertEquals(List.of("$rootA"), store().read(tx -> tx.relations().threads(ROOM, CAROL, Long.MAX_VALUE, 10))
                .stream().map(StoredRelation::parentId).toList());
    }

    @Test
    default void aRedactionIsPendingUntilAppliedThenNamedForItsEvent() {
        write(tx -> {
            tx.redactions().addPending("$red1", "$target", ROOM);
            tx.redactions().addPending("$red2", "$target", ROOM);
            tx.redactions().addPending("$red1", "$target", ROOM);
            return null;
        });
        assertEquals(List.of("$red1", "$red2"), store().read(tx -> tx.redactions().pendingFor("$target")));
        assertEquals(Map.of(), store().read(tx -> tx.redactions().appliedTo(List.of("$target"))));
        assertTrue(writeFlag(tx -> tx.redactions().markApplied("$red2", "$target")));
        assertFalse(writeFlag(tx -> tx.redactions().markApplied("$red3", "$target")));
        reopenStore();
        assertEquals(List.of("$red1"), store().read(tx -> tx.redactions().pendingFor("$target")));
        assertEquals(Map.of("$target", "$red2"), store().read(tx -> tx.redactions().appliedTo(List.of("$target", "$x"))));
        assertEquals(List.of("$red2"), store().read(tx -> tx.redactions().applied(List.of("$red1", "$red2"))));
    }
}
