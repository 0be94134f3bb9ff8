package dev.hyphae.node.roomserver;

/** The {@code dir} of {@code /messages}: forwards ({@code f}) or backwards ({@code b}) in stream order. */
public enum TimelineDirection {
    FORWARDS,
    BACKWARDS;

    /**
     * @throws RoomServerException BAD_REQUEST for anything but {@code f} or {@code b}
     */
    public static TimelineDirection fromWire(String dir) {
        if ("f".equals(dir)) {
            return FORWARDS;
        }
        if ("b".equals(dir)) {
            return BACKWARDS;
        }
        throw RoomServerException.badRequest("dir must be f or b");
    }
}
