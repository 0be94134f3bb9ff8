package dev.hyphae.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class RouteTableTest {
    private static final AsyncHandler NOTHING = request -> new CompletableFuture<>();

    @Test
    void parametersArePercentDecodedAfterSplittingAtSlashes() {
        RouteTable routes = new RouteTable()
                .addAsync(Method.PUT, "/_matrix/client/v3/rooms/{roomId}/state/{eventType}/{stateKey}",
                        Authentication.REQUIRED, NOTHING);
        RouteTable.RouteMatch match = routes.match(Method.PUT,
                "/_matrix/client/v3/rooms/%21a%3Ab.c/state/m.room.member/%40u%3Ab.c%2Fx");
        assertEquals("!a:b.c", match.pathParameters().get("roomId"));
        assertEquals("m.room.member", match.pathParameters().get("eventType"));
        assertEquals("@u:b.c/x", match.pathParameters().get("stateKey"));
    }

    @Test
    void anEmptyTrailingSegmentIsAnEmptyParameter() {
        RouteTable routes = new RouteTable()
                .addAsync(Method.PUT, "/_matrix/client/v3/rooms/{roomId}/state/{eventType}/{stateKey}",
                        Authentication.REQUIRED, NOTHING);
        assertEquals("", routes.match(Method.PUT, "/_matrix/client/v3/rooms/r/state/m.room.name/")
                .pathParameters().get("stateKey"));
    }

    @Test
    void v3RoutesAreAlsoReachableUnderR0ButNotOtherVersions() {
        RouteTable routes = new RouteTable().addAsync(Method.GET, "/_matrix/client/v3/sync", Authentication.REQUIRED, NOTHING);
        Route route = routes.routes().get(0);
        assertSame(route, routes.match(Method.GET, "/_matrix/client/r0/sync").route());
        MatrixException unknown = assertThrows(MatrixException.class,
                () -> routes.match(Method.GET, "/_matrix/client/v2/sync"));
        assertEquals(404, unknown.status());
        assertEquals(1, routes.routes().size(), "the alias is not a second route");
    }

    @Test
    void aKnownPathWithAnotherMethodIs405AndAnUnknownPathIs404() {
        RouteTable routes = new RouteTable().addAsync(Method.GET, "/a/{x}", Authentication.NONE, NOTHING);
        assertEquals(405, assertThrows(MatrixException.class, () -> routes.match(Method.POST, "/a/1")).status());
        assertEquals(404, assertThrows(MatrixException.class, () -> routes.match(Method.GET, "/a/1/2")).status());
        assertEquals(404, assertThrows(MatrixException.class, () -> routes.match(Method.GET, "a")).status());
    }

    @Test
    void aLiteralRouteThatLacksTheMethodFallsBackToTheParameterRoute() {
        RouteTable routes = new RouteTable()
                .addAsync(Method.GET, "/r/{id}", Authentication.NONE, NOTHING)
                .addAsync(Method.POST, "/r/special", Authentication.NONE, NOTHING);
        assertEquals("special", routes.match(Method.GET, "/r/special").pathParameters().get("id"));
    }

    @Test
    void conflictingRegistrationsAreRefused() {
        RouteTable routes = new RouteTable().addAsync(Method.GET, "/a/{x}", Authentication.NONE, NOTHING);
        assertThrows(IllegalStateException.class, () -> routes.addAsync(Method.GET, "/a/{x}", Authentication.NONE, NOTHING));
        assertThrows(IllegalArgumentException.class, () -> routes.addAsync(Method.PUT, "/a/{y}", Authentication.NONE, NOTHING));
        assertThrows(IllegalArgumentException.class, () -> routes.addAsync(Method.PUT, "/b/x{y}", Authentication.NONE, NOTHING));
        assertThrows(IllegalArgumentException.class, () -> routes.addAsync(Method.PUT, "no-slash", Authentication.NONE, NOTHING));
    }
}
