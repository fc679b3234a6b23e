package pbx.presence.api;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.CorsHandler;
import io.vertx.ext.web.handler.StaticHandler;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * Adds what the REST DSL cannot express to the API's Vert.x router (the one platform-http serves
 * the REST DSL routes on): CORS when configured, the access guard in front of every {@code /api/*}
 * route, the event stream, the wallboard's static files at {@code /}, and a problem+json 404 for
 * unknown {@code /api/} paths. Vert.x orders routes by {@code order}: negative ones run before
 * platform-http's own routes.
 */
final class ApiHttp {

    private ApiHttp() {
    }

    static void install(CamelContext context, ApiSettings settings, EventStream stream) {
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context,
                VertxPlatformHttpRouter.getRouterNameFromPort(settings.port()));
        if (router == null) {
            throw new IllegalStateException("presence.api.port " + settings.port()
                    + ": no HTTP server runs there (camel.server.port must be {{presence.api.port}})");
        }
        if (!settings.corsOrigins().isEmpty()) {
            router.route("/api/*").order(-30).handler(CorsHandler.create().addOrigins(settings.corsOrigins())
                    .allowedMethod(HttpMethod.GET)
                    .allowedHeader("Authorization").allowedHeader("Last-Event-ID"));
        }
        router.route("/api/*").order(-20).handler(new AccessGuard(new BearerTokens(settings.tokens()), settings.tokenOnLoopback()));
        router.get("/api/events/stream").order(-10).handler(stream);
        StaticHandler wallboard = StaticHandler.create("wallboard").setCachingEnabled(false).setIndexPage("index.html");
        router.get("/").order(-10).handler(wallboard);
        router.get("/wallboard/*").order(-10).handler(wallboard);
        router.route("/api/*").last().handler(rc -> problem(rc, Problem.of(404,
                "No such API path: " + rc.request().path() + " (every path is listed in /api/openapi.json)")));
        stream.start(router.vertx());
    }

    static void problem(RoutingContext rc, Problem p) {
        rc.response().setStatusCode(p.status()).putHeader("Content-Type", Problem.MEDIA_TYPE).end(p.json(rc.request().path()));
    }
}
