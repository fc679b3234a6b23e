package pbx.presence.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deploy/kubernetes/ read by the Kubernetes model the cluster service itself uses: every document is
 * a known kind, and the pieces that must agree do (probes on the management port, the service
 * account bound to a Role that covers Leases and pods, several replicas).
 */
class KubernetesManifestsTest {

    private static List<HasMetadata> load(String file) throws Exception {
        try (InputStream in = Files.newInputStream(Path.of("deploy/kubernetes", file))) {
            Object parsed = Serialization.unmarshal(in);
            if (parsed instanceof KubernetesList list) {
                return list.getItems();
            }
            if (parsed instanceof List<?> many) {
                return many.stream().map(HasMetadata.class::cast).toList();
            }
            return List.of((HasMetadata) parsed);
        }
    }

    @Test
    void theDeploymentRunsSeveralRoutersProbedOnTheManagementPort() throws Exception {
        Deployment d = (Deployment) load("deployment.yaml").get(0);
        assertTrue(d.getSpec().getReplicas() >= 2, "a cluster needs more than one replica");
        var pod = d.getSpec().getTemplate().getSpec();
        var c = pod.getContainers().get(0);
        assertEquals("/observe/health/ready", c.getReadinessProbe().getHttpGet().getPath());
        assertEquals("/observe/health/live", c.getLivenessProbe().getHttpGet().getPath());
        assertTrue(c.getPorts().stream().anyMatch(p -> p.getContainerPort() == 9876
                && p.getName().equals(c.getReadinessProbe().getHttpGet().getPort().getStrVal())));
        assertTrue(c.getEnv().stream().anyMatch(e -> e.getValue() != null && e.getValue().contains("presence.cluster.mode=kubernetes")));
        assertEquals(d.getSpec().getSelector().getMatchLabels(), d.getSpec().getTemplate().getMetadata().getLabels());
        assertTrue(c.getEnvFrom().stream().anyMatch(e -> e.getSecretRef() != null), "credentials come from a Secret");
        assertEquals("pbx-presence-router", pod.getServiceAccountName());
    }

    @Test
    void everyPropertyTheDeploymentSetsIsAKeyOfApplicationProperties() throws Exception {
        Deployment d = (Deployment) load("deployment.yaml").get(0);
        var c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
        String options = c.getEnv().stream().filter(e -> e.getName().equals("JAVA_TOOL_OPTIONS")).findFirst().orElseThrow().getValue();
        java.util.Properties keys = new java.util.Properties();
        try (InputStream in = Files.newInputStream(Path.of("application.properties"))) {
            keys.load(in);
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("-D([\\w.-]+)=").matcher(options);
        int n = 0;
        while (m.find()) {
            assertTrue(keys.containsKey(m.group(1)), "deployment.yaml sets -D" + m.group(1) + ", which application.properties does not know");
            n++;
        }
        assertTrue(n >= 3, options);
        var labels = d.getSpec().getTemplate().getMetadata().getLabels();
        assertTrue(options.contains("presence.cluster.kubernetes.pod-labels=app.kubernetes.io/name=" + labels.get("app.kubernetes.io/name")),
                "the cluster counts exactly the pods this template labels");
    }

    @Test
    void theServiceAccountMayKeepLeasesAndSeeThePods() throws Exception {
        List<HasMetadata> rbac = load("rbac.yaml");
        ServiceAccount sa = (ServiceAccount) rbac.stream().filter(ServiceAccount.class::isInstance).findFirst().orElseThrow();
        Role role = (Role) rbac.stream().filter(Role.class::isInstance).findFirst().orElseThrow();
        RoleBinding binding = (RoleBinding) rbac.stream().filter(RoleBinding.class::isInstance).findFirst().orElseThrow();
        assertEquals(role.getMetadata().getName(), binding.getRoleRef().getName());
        assertEquals(sa.getMetadata().getName(), binding.getSubjects().get(0).getName());
        assertTrue(role.getRules().stream().anyMatch(r -> r.getResources().contains("leases")
                && r.getApiGroups().contains("coordination.k8s.io")
                && r.getVerbs().containsAll(List.of("get", "create", "update"))));
        assertTrue(role.getRules().stream().anyMatch(r -> r.getResources().contains("pods") && r.getVerbs().contains("list")));
    }
}
