package pbx.presence.api;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;

/**
 * Runs before every {@code /api/*} route on the API's Vert.x router (the REST DSL routes and the
 * event stream alike): the API is read-only (GET; anything else is 405), and a client that
 * is not on the loopback interface (or any client, with {@code presence.api.token-on-loopback})
 * must present one of the bearer tokens (401 otherwise). Written as a Vert.x handler because the
 * stream is one too, and a single gate in front of both cannot be forgotten by a new route.
 */
final class AccessGuard implements Handler<RoutingContext> {

    private final BearerTokens tokens;
    private final boolean tokenOnLoopback;

    AccessGuard(BearerTokens tokens, boolean tokenOnLoopback) {
        this.tokens = tokens;
        this.tokenOnLoopback = tokenOnLoopback;
    }

    @Override
    public void handle(RoutingContext rc) {
        HttpMethod m = rc.request().method();
        if (m != HttpMethod.GET) {
            rc.response().putHeader("Allow", "GET");
            ApiHttp.problem(rc, Problem.of(405, "The presence API is read-only: use GET"));
            return;
        }
        if (needsToken(rc.request().remoteAddress()) && !tokens.accepts(rc.request().getHeader("Authorization"))) {
            rc.response().putHeader("WWW-Authenticate", "Bearer realm=\"pbx-presence\"");
            ApiHttp.problem(rc, Problem.of(401, rc.request().getHeader("Authorization") == null
                    ? "This API needs a bearer token (Authorization: Bearer <presence.api.token>)"
                    : "The bearer token is not one of presence.api.token"));
            return;
        }
        rc.next();
    }

    private boolean needsToken(SocketAddress remote) {
        return tokenOnLoopback || remote == null || remote.hostAddress() == null || !ApiSettings.isLoopback(remote.hostAddress());
    }
}
