package pbx.presence.config;

import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pbx.presence.DataFolder;
import pbx.presence.EmbeddedRouter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A configuration mistake stops the router at start with one message naming where and what. */
class FailFastConfigurationTest {

    @TempDir
    Path dataDir;

    @Test
    void misspeltKameletParameterIsRefused() {
        String m = failure(Map.of(), source("source-a", "a", "http://127.0.0.1:1/extensions", "&perod=5000"));
        assertTrue(m.contains("route source-a") && m.contains("unknown parameter(s) [perod]") && m.contains("period"), m);
    }

    @Test
    void twoSourcesWithOneIdAreRefused() {
        String m = failure(Map.of(), source("source-a", "hq", "http://127.0.0.1:1/x", ""), source("source-b", "hq", "http://127.0.0.1:1/y", ""));
        assertTrue(m.contains("route source-b") && m.contains("sourceId 'hq' is already used by") && m.contains("route source-a"), m);
    }

    @Test
    void malformedOrCredentialCarryingUrlsAreRefused() {
        String m = failure(Map.of(), source("source-a", "a", "htp:/nowhere", ""));
        assertTrue(m.contains("route source-a") && m.contains("parameter url must be an absolute http:// or https:// URL"), m);
        String m2 = failure(Map.of(), source("source-a", "a", "http://admin:hunter2@pbx.example/x", ""));
        assertTrue(m2.contains("must not carry credentials"), m2);
        assertFalse(m2.contains("hunter2"), "the password is not repeated: " + m2);
    }

    @Test
    void anUnreadableTrustCertificatesFileIsRefused() {
        String m = failure(Map.of(), source("source-a", "a", "https://127.0.0.1:1/x", "&trustCertificates=/nonexistent/company-ca.pem"));
        assertTrue(m.contains("route source-a") && m.contains("parameter trustCertificates names a file that cannot be read")
                && m.contains("/nonexistent/company-ca.pem"), m);
    }

    @Test
    void requiredParameterFromAnUnsetEnvironmentVariableIsRefused() {
        String m = failure(Map.of(), source("source-a", "a", "{{env:PBX_TEST_SURELY_UNSET_URL:}}", ""));
        assertTrue(m.contains("route source-a") && m.contains("required parameter url") && m.contains("is empty"), m);
    }

    @Test
    void invalidSourceIdIsRefused() {
        String m = failure(Map.of(), source("source-a", "hq.3cx", "http://127.0.0.1:1/x", ""));
        assertTrue(m.contains("source id 'hq.3cx' is invalid"), m);
    }

    @Test
    void malformedWebhookSecretIsRefusedWithoutEchoingIt() {
        String secret = "whsec_c2VjcmV0";
        String m = failure(Map.of("presence.webhook.url", "http://127.0.0.1:9/hook", "presence.webhook.secret", secret));
        assertTrue(m.contains("application.properties") && m.contains("presence.webhook.secret"), m);
        assertFalse(m.contains("c2VjcmV0"), "the secret is not repeated: " + m);
    }

    @Test
    void webhookWithoutSecretIsRefused() {
        String m = failure(Map.of("presence.webhook.url", "http://127.0.0.1:9/hook", "presence.webhook.secret", ""));
        assertTrue(m.contains("presence.webhook.secret is not set"), m);
    }

    @Test
    void webhookUrlThatIsNotHttpIsRefused() {
        for (String url : List.of("file:/tmp/pbx-events", "log:events", "exec:/bin/sh?args=-c", "ftp://127.0.0.1/x", "http:/no-host")) {
            String m = failure(Map.of("presence.webhook.url", url, "presence.webhook.secret", "whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="));
            assertTrue(m.contains("presence.webhook.url must be an absolute http:// or https:// URL") && m.contains(url), m);
            assertFalse(m.contains("\n"), "one line: " + m);
        }
    }

    @Test
    void brokenMailTemplateOverrideIsRefusedNamingTheFile() throws Exception {
        Path templates = Files.createDirectories(dataDir.resolve("templates"));
        Files.writeString(templates.resolve("email-html.mustache"), "<p>{{#changes}}{{field}}</p>\n");
        String m = failure(Map.of("presence.email.template-directory", templates.toString()));
        assertTrue(m.contains("email-html.mustache") && m.contains(templates.toString()), m);
        Path file = Files.writeString(dataDir.resolve("templates.txt"), "");
        String m2 = failure(Map.of("presence.email.template-directory", file.toString()));
        assertTrue(m2.contains("presence.email.template-directory") && m2.contains("is a file"), m2);
    }

    @Test
    void anApiPortAlreadyInUseStopsTheStartNamingTheKey() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            String message = failure(Map.of("presence.api.port", Integer.toString(taken.getLocalPort())));
            assertTrue(message.contains("presence.api.port " + taken.getLocalPort()) && message.contains("already in use"), message);
        }
    }

    private String failure(Map<String, String> props, RouteBuilder... routes) {
        Map<String, String> all = new HashMap<>(DataFolder.routerProperties(dataDir));
        all.putAll(props);
        return EmbeddedRouter.configurationFailure(all, routes);
    }

    private static RouteBuilder source(String routeId, String sourceId, String url, String extra) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("kamelet:3cx-callcontrol-presence-source?sourceId=" + sourceId + "&url=" + url + extra)
                        .routeId(routeId).to("direct:presence-poll");
            }
        };
    }
}
