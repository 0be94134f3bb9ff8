/**
 * The client-server API's HTTP/1.1 server on Netty: routing, authentication, rate limits, errors.
 *
 * <p>An endpoint group adds its routes; the first line of each handler's Javadoc is its route:
 *
 * <pre>{@code
 * public final class ProfileEndpoints implements EndpointGroup {
 *     public void register(RouteTable routes) {
 *         routes.add(Method.GET, "/_matrix/client/v3/profile/{userId}", Authentication.OPTIONAL, this::profile)
 *               .addAsync(Method.GET, "/_matrix/client/v3/sync", Authentication.REQUIRED, this::sync);
 *     }
 *
 *     // GET /_matrix/client/v3/profile/{userId}
 *     MatrixResponse profile(MatrixRequest request) {
 *         String userId = request.pathParameter("userId");          // percent-decoded
 *         JsonBody body = request.jsonObject();                      // M_NOT_JSON / M_BAD_JSON for bad bodies
 *         Requester me = request.requester();                        // REQUIRED routes: always there
 *         throw MatrixException.notFound("No such profile");         // any spec error
 *     }
 * }
 * }</pre>
 *
 * <p>Templates under {@code /_matrix/client/v3/} and {@code /_matrix/media/v3/} are also served
 * under {@code r0}. Handlers run on a bounded worker pool, never on the network threads; an
 * {@link dev.hyphae.node.http.AsyncHandler} returns a future so that a long poll holds no thread.
 * A {@link dev.hyphae.node.http.MatrixException} becomes the spec's error JSON; any other exception
 * is logged and answered with 500 {@code M_UNKNOWN}.
 */
package dev.hyphae.node.http;
