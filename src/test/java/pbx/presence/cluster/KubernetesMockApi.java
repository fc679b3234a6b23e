package pbx.presence.cluster;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * fabric8's mock Kubernetes API server in CRUD mode (no real cluster runs here), holding running,
 * ready router pods in namespace {@code pbx}: what Camel's Lease-based cluster service needs to lead.
 */
final class KubernetesMockApi implements AutoCloseable {

    static final String NAMESPACE = "pbx";
    static final Map<String, String> LABELS = Map.of("app", "pbx-presence-router");

    private final KubernetesMockServer server;
    final NamespacedKubernetesClient client;

    KubernetesMockApi(String... pods) {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
        server.init();
        client = server.createClient();
        for (int i = 0; i < pods.length; i++) {
            client.pods().inNamespace(NAMESPACE).resource(new PodBuilder().withNewMetadata().withName(pods[i]).withNamespace(NAMESPACE)
                    .withLabels(LABELS).endMetadata().withNewStatus().withPhase("Running").withPodIP("10.0.0." + (10 + i))
                    .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build()).create();
        }
    }

    /** The kubernetes mode's settings for {@code pod} against this server (Lease prefix pbx-presence). */
    KubernetesLeases leases(String pod, Duration leaseDuration) {
        return new KubernetesLeases(NAMESPACE, pod, client.getMasterUrl().toString(), "pbx-presence", LABELS, leaseDuration);
    }

    /** The pod is gone, as the API server sees it. */
    void deletePod(String pod) {
        client.pods().inNamespace(NAMESPACE).withName(pod).delete();
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }
}
