package dev.hyphae.node.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class StateKeyTest {
    @Test
    void keysWithTheSameTypeAndStateKeyAreEqualWithEqualHashes() {
        StateKey a = StateKey.of("m.room.member", "@a:x");
        StateKey b = new StateKey(new String("m.room.member"), new String("@a:x"));
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
    }

    @Test
    void keysDifferingInTypeOrStateKeyAreNotEqual() {
        StateKey a = StateKey.of("m.room.member", "@a:x");
        assertNotEquals(a, StateKey.of("m.room.member", "@b:x"));
        assertNotEquals(a, StateKey.of("m.room.name", "@a:x"));
        assertNotEquals(StateKey.of("ab", ""), StateKey.of("a", "b"));
    }
}
