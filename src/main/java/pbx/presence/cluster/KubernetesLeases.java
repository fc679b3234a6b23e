package pbx.presence.cluster;

import org.apache.camel.component.kubernetes.KubernetesConfiguration;
import org.apache.camel.component.kubernetes.cluster.KubernetesClusterService;
import org.apache.camel.component.kubernetes.cluster.LeaseResourceType;

import java.time.Duration;
import java.util.Map;

/**
 * {@code presence.cluster.mode = kubernetes}: Camel's own {@link KubernetesClusterService} with one
 * coordination.k8s.io Lease per source or sink (named {@code <prefix>-<namespace>}). Camel counts as
 * members the running pods that carry {@code podLabels}, so the Deployment's pod template must carry
 * them too (deploy/kubernetes/). Nothing of ours in the protocol: only its settings live here.
 *
 * @param kubernetesNamespace where the pods and Leases live (in a pod: its own namespace)
 * @param podName this router's pod (in a pod: $HOSTNAME)
 * @param masterUrl the API server; empty in a pod (the service account's in-cluster configuration)
 * @param leasePrefix prefix of the Lease names
 * @param podLabels labels that mark the routers' pods
 * @param leaseDuration how long a Lease is valid without renewal (the takeover bound after a pod dies)
 */
public record KubernetesLeases(String kubernetesNamespace, String podName, String masterUrl, String leasePrefix,
                               Map<String, String> podLabels, Duration leaseDuration) {

    public KubernetesClusterService service() {
        KubernetesConfiguration api = new KubernetesConfiguration();
        // no master URL: the in-cluster configuration of the pod's service account
        if (masterUrl != null && !masterUrl.isBlank()) {
            api.setMasterUrl(masterUrl);
        }
        KubernetesClusterService service = new KubernetesClusterService(api);
        service.setId(podName);
        service.setPodName(podName);
        service.setKubernetesNamespace(kubernetesNamespace);
        service.setLeaseResourceType(LeaseResourceType.Lease);
        service.setKubernetesResourceName(leasePrefix);
        service.setClusterLabels(podLabels);
        long lease = leaseDuration.toMillis();
        service.setLeaseDurationMillis(lease);
        // Camel's documented ratios: renew well within the lease, retry a few times per lease
        service.setRenewDeadlineMillis(lease * 2 / 3);
        service.setRetryPeriodMillis(Math.max(200, lease / 5));
        return service;
    }
}
