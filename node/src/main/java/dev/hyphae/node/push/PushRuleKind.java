package dev.hyphae.node.push;

import java.util.Optional;

/** The kinds of push rule, in the order they are checked. */
public enum PushRuleKind {
    OVERRIDE("override"),
    CONTENT("content"),
    ROOM("room"),
    SENDER("sender"),
    UNDERRIDE("underride");

    private final String wireName;

    PushRuleKind(String wireName) {
        this.wireName = wireName;
    }

    /** The name the spec and the API use, e.g. {@code override}. */
    public String wireName() {
        return wireName;
    }

    /** Only override and underride rules carry a list of conditions. */
    public boolean hasConditions() {
        return this == OVERRIDE || this == UNDERRIDE;
    }

    public static Optional<PushRuleKind> fromWireName(String name) {
        for (PushRuleKind kind : values()) {
            if (kind.wireName.equals(name)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }
}
