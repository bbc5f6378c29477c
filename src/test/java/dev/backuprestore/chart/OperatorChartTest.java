package dev.backuprestore.chart;

import static dev.backuprestore.chart.Helm.NAMESPACE;
import static dev.backuprestore.chart.Helm.OPERATOR_CHART;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The operator chart's Deployment, default locations and Services, rendered by helm template. */
class OperatorChartTest {
  private static final String DEPLOYMENT = "backup-restore-operator";
  private static final Path RANCHER_RENDERS = Path.of("src/test/resources/rancher/chart-rendered");
  private final Helm helm = Helm.located();

  private RenderedManifests render(String values, String... extraArgs) {
    return RenderedManifests.parse(helm.template(OPERATOR_CHART, values, extraArgs));
  }

  private static Container container(RenderedManifests manifests) {
    List<Container> containers = podSpec(manifests).getContainers();
    assertThat(containers).hasSize(1);
    return containers.get(0);
  }

  private static PodSpec podSpec(RenderedManifests manifests) {
    return manifests.one(Deployment.class, DEPLOYMENT).getSpec().getTemplate().getSpec();
  }

  private static Map<String, String> env(RenderedManifests manifests) {
    return container(manifests).getEnv().stream()
        .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }

  private static Optional<String> mountedVolume(RenderedManifests manifests, String path) {
    return container(manifests).getVolumeMounts().stream()
        .filter(mount -> mount.getMountPath().equals(path))
        .map(VolumeMount::getName)
        .findFirst();
  }

  private static Volume volume(RenderedManifests manifests, String name) {
    return podSpec(manifests).getVolumes().stream()
        .filter(v -> v.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no volume " + name));
  }

  @Test
  void defaultsRenderOnlyTheOperatorItsRbacAndTheResourceSets() {
    RenderedManifests manifests = render("");

    assertThat(manifests.kinds())
        .containsExactlyInAnyOrder(
            "ServiceAccount",
            "ClusterRole",
            "ClusterRoleBinding",
            "Role",
            "RoleBinding",
            "Deployment",
            "ResourceSet",
            "ResourceSet",
            "ResourceSet");
  }

  @Test
  void deploymentRunsOneNonRootReplicaWithRancherLabelsAndEnvironment() throws IOException {
    RenderedManifests manifests = render("");
    Deployment deployment = manifests.one(Deployment.class, DEPLOYMENT);
    Container container = container(manifests);

    assertThat(deployment.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
    assertThat(deployment.getMetadata().getLabels())
        .containsEntry("resources.cattle.io/operator", "backup-restore")
        .containsEntry("app.kubernetes.io/name", "backup-restore-operator")
        .containsEntry("app.kubernetes.io/instance", "backup-restore-operator");
    assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels())
        .containsEntry("resources.cattle.io/operator", "backup-restore");
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
    assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("Recreate");
    assertThat(container.getImage())
        .isEqualTo("ghcr.io/backup-restore-operator/backup-restore-operator:" + appVersion());
    assertThat(container.getArgs()).isEmpty();
    assertThat(container.getPorts())
        .singleElement()
        .satisfies(
            port -> {
              assertThat(port.getContainerPort()).isEqualTo(8080);
              assertThat(port.getName()).isEqualTo("http");
            });
    assertThat(env(manifests))
        .containsExactlyInAnyOrderEntriesOf(Map.of("CHART_NAMESPACE", NAMESPACE));
    assertThat(podSpec(manifests).getServiceAccountName())
        .isEqualTo(manifests.all(ServiceAccount.class).get(0).getMetadata().getName())
        .isEqualTo(DEPLOYMENT);
    assertThat(podSpec(manifests).getNodeSelector()).containsEntry("kubernetes.io/os", "linux");
    assertThat(podSpec(manifests).getTolerations())
        .anySatisfy(t -> assertThat(t.getKey()).isEqualTo("cattle.io/os"));
  }

  @Test
  void containerIsUid1000WithoutPrivilegeEscalationAndWritesOnlyToItsVolumes() {
    RenderedManifests manifests = render("");
    var security = container(manifests).getSecurityContext();

    assertThat(podSpec(manifests).getSecurityContext().getFsGroup()).isEqualTo(1000L);
    assertThat(security.getRunAsUser()).isEqualTo(1000L);
    assertThat(security.getRunAsGroup()).isEqualTo(1000L);
    assertThat(security.getRunAsNonRoot()).isTrue();
    assertThat(security.getAllowPrivilegeEscalation()).isFalse();
    assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
    // The root filesystem is read-only, so everything written needs a volume.
    assertThat(security.getReadOnlyRootFilesystem()).isTrue();
    // Encryption keys stay in memory: no /encryption directory (Rancher's
    // ENCRYPTION_PROVIDER_LOCATION).
    assertThat(mountedVolume(manifests, "/encryption")).isEmpty();
    assertThat(mountedVolume(manifests, "/tmp")).isPresent();
  }

  @Test
  void runAsNonRootFalseRunsAsRootForHostPathVolumes() {
    var security = container(render("securityContext: {runAsNonRoot: false}")).getSecurityContext();

    assertThat(security.getRunAsUser()).isZero();
    assertThat(security.getRunAsGroup()).isZero();
    assertThat(security.getRunAsNonRoot()).isFalse();
    assertThat(security.getAllowPrivilegeEscalation()).isFalse();
  }

  @Test
  void schedulingImageAndLoggingValuesReachThePod() {
    RenderedManifests manifests =
        render(
            """
            debug: true
            trace: true
            image: {repository: example/bro, tag: v9}
            global: {cattle: {systemDefaultRegistry: registry.local:5000}}
            imagePullPolicy: Always
            imagePullSecrets: [{name: pull}]
            nodeSelector: {disk: ssd}
            tolerations: [{key: dedicated, operator: Exists, effect: NoSchedule}]
            affinity:
              nodeAffinity:
                requiredDuringSchedulingIgnoredDuringExecution:
                  nodeSelectorTerms:
                    - matchExpressions: [{key: zone, operator: In, values: [a]}]
            priorityClassName: high
            resources: {limits: {memory: 512Mi}}
            extraAnnotations: {team: backups}
            serviceAccount: {annotations: {eks.amazonaws.com/role-arn: "arn:aws:iam::1:role/b"}}
            """);
    PodSpec pod = podSpec(manifests);
    Container container = container(manifests);

    assertThat(container.getArgs()).containsExactly("--debug", "--trace");
    assertThat(container.getImage()).isEqualTo("registry.local:5000/example/bro:v9");
    assertThat(container.getImagePullPolicy()).isEqualTo("Always");
    assertThat(pod.getImagePullSecrets()).extracting("name").containsExactly("pull");
    assertThat(pod.getNodeSelector())
        .containsEntry("disk", "ssd")
        .containsEntry("kubernetes.io/os", "linux");
    assertThat(pod.getTolerations()).extracting("key").contains("dedicated", "cattle.io/os");
    assertThat(pod.getAffinity().getNodeAffinity()).isNotNull();
    assertThat(pod.getPriorityClassName()).isEqualTo("high");
    assertThat(container.getResources().getLimits()).containsKey("memory");
    assertThat(
            manifests
                .one(Deployment.class, DEPLOYMENT)
                .getSpec()
                .getTemplate()
                .getMetadata()
                .getAnnotations())
        .containsEntry("team", "backups");
    assertThat(manifests.one(ServiceAccount.class, DEPLOYMENT).getMetadata().getAnnotations())
        .containsEntry("eks.amazonaws.com/role-arn", "arn:aws:iam::1:role/b");
  }

  @Test
  void proxySetsTheProxyVariables() {
    Map<String, String> env = env(render("proxy: http://proxy.local:3128\nnoProxy: .svc"));

    assertThat(env)
        .containsEntry("HTTP_PROXY", "http://proxy.local:3128")
        .containsEntry("HTTPS_PROXY", "http://proxy.local:3128")
        .containsEntry("NO_PROXY", ".svc");
  }

  @Test
  void s3WithCredentialsWritesRancherSecretAndPointsTheOperatorAtIt() throws IOException {
    RenderedManifests manifests =
        render(
            """
            s3:
              enabled: true
              credentialSecretName: s3-creds
              credentialSecretNamespace: default
              bucketName: backups
              folder: cluster-a
              region: eu-west-1
              endpoint: minio.local:9000
              endpointCA: TFMwdExTMUNSVWRK
              insecureTLSSkipVerify: true
              clientConfig:
                bucketLookup: path
                aws: {dualStack: false}
            """);
    Secret secret = manifests.one(Secret.class, "rancher-backup-s3");

    assertThat(secret.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
    assertThat(secret.getStringData())
        .containsOnlyKeys(
            "credentialSecretName",
            "credentialSecretNamespace",
            "bucketName",
            "folder",
            "region",
            "endpoint",
            "endpointCA",
            "insecureTLSSkipVerify",
            "clientConfig")
        .containsEntry("credentialSecretName", "s3-creds")
        .containsEntry("credentialSecretNamespace", "default")
        .containsEntry("bucketName", "backups")
        .containsEntry("endpoint", "minio.local:9000")
        .containsEntry("insecureTLSSkipVerify", "true");
    assertThat(new ObjectMapper().readTree(secret.getStringData().get("clientConfig")))
        .isEqualTo(
            new ObjectMapper()
                .readTree("{\"bucketLookup\":\"path\",\"aws\":{\"dualStack\":false}}"));
    assertThat(env(manifests))
        .containsEntry("DEFAULT_S3_BACKUP_STORAGE_LOCATION", "rancher-backup-s3")
        .doesNotContainKey("DEFAULT_PERSISTENCE_ENABLED");
    assertThat(manifests.all(PersistentVolumeClaim.class)).isEmpty();
  }

  @Test
  void s3WithIamHasNoCredentialKeysAndAJsonStringClientConfigPassesUnchanged() {
    RenderedManifests manifests =
        render(
            """
            s3:
              enabled: true
              bucketName: backups
              endpoint: s3.us-west-2.amazonaws.com
              region: us-west-2
              clientConfig: '{"bucketLookup":"dns"}'
            """);

    assertThat(manifests.one(Secret.class, "rancher-backup-s3").getStringData())
        .containsOnly(
            Map.entry("bucketName", "backups"),
            Map.entry("endpoint", "s3.us-west-2.amazonaws.com"),
            Map.entry("region", "us-west-2"),
            Map.entry("clientConfig", "{\"bucketLookup\":\"dns\"}"));
  }

  @Test
  void s3CredentialSecretWithoutItsNamespaceIsRefused() {
    Helm.Result result =
        helm.tryTemplate(
            OPERATOR_CHART,
            "s3: {enabled: true, bucketName: b, endpoint: e, credentialSecretName: creds}");

    assertThat(result.exitCode()).isNotZero();
    assertThat(result.stderr()).contains("s3.credentialSecretNamespace is required");
  }

  @Test
  void s3WithoutBucketOrEndpointIsRefusedLikeRancher() {
    Helm.Result noBucket = helm.tryTemplate(OPERATOR_CHART, "s3: {enabled: true, endpoint: e}");
    Helm.Result noEndpoint = helm.tryTemplate(OPERATOR_CHART, "s3: {enabled: true, bucketName: b}");
    Helm.Result neither = helm.tryTemplate(OPERATOR_CHART, "", "--set", "s3.enabled=true");

    assertThat(noBucket.exitCode()).isNotZero();
    assertThat(noBucket.stderr()).contains("s3.bucketName is required with s3.enabled");
    assertThat(noEndpoint.exitCode()).isNotZero();
    assertThat(noEndpoint.stderr()).contains("s3.endpoint is required with s3.enabled");
    assertThat(neither.exitCode()).isNotZero();
    assertThat(neither.stdout()).doesNotContain("rancher-backup-s3");
  }

  @Test
  void changingTheS3LocationRestartsTheOperator() {
    String before = checksum(render("s3: {enabled: true, bucketName: one, endpoint: e}"));
    String after = checksum(render("s3: {enabled: true, bucketName: two, endpoint: e}"));

    assertThat(before).isNotEqualTo(after);
  }

  private static String checksum(RenderedManifests manifests) {
    return manifests
        .one(Deployment.class, DEPLOYMENT)
        .getSpec()
        .getTemplate()
        .getMetadata()
        .getAnnotations()
        .get("checksum/s3");
  }

  @Test
  void persistenceCreatesAKeptClaimMountedAtVarLibBackups() {
    RenderedManifests manifests = render("persistence: {enabled: true, size: 5Gi}");
    PersistentVolumeClaim claim =
        manifests.one(PersistentVolumeClaim.class, "backup-restore-operator-backups");

    assertThat(claim.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
    assertThat(claim.getMetadata().getAnnotations())
        .containsEntry("helm.sh/resource-policy", "keep");
    assertThat(claim.getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
    assertThat(claim.getSpec().getResources().getRequests().get("storage").toString())
        .isEqualTo("5Gi");
    // storageClass "-" (the default) means no dynamic provisioning, as in Rancher's chart.
    assertThat(claim.getSpec().getStorageClassName()).isEmpty();
    assertThat(mountedVolume(manifests, "/var/lib/backups")).hasValue("pv-storage");
    assertThat(volume(manifests, "pv-storage").getPersistentVolumeClaim().getClaimName())
        .isEqualTo("backup-restore-operator-backups");
    assertThat(env(manifests))
        .containsKey("DEFAULT_PERSISTENCE_ENABLED")
        .doesNotContainKey("DEFAULT_S3_BACKUP_STORAGE_LOCATION");
    assertThat(env(manifests).get("DEFAULT_PERSISTENCE_ENABLED")).isNotBlank();
    assertThat(manifests.all(Secret.class)).isEmpty();
  }

  @Test
  void persistenceStorageClassVolumeNameAndExistingClaim() {
    PersistentVolumeClaim dynamic =
        render("persistence: {enabled: true, storageClass: fast}")
            .one(PersistentVolumeClaim.class, "backup-restore-operator-backups");
    assertThat(dynamic.getSpec().getStorageClassName()).isEqualTo("fast");

    PersistentVolumeClaim clusterDefault =
        render("persistence: {enabled: true, storageClass: null}")
            .one(PersistentVolumeClaim.class, "backup-restore-operator-backups");
    assertThat(clusterDefault.getSpec().getStorageClassName()).isNull();
    // The README's install command for clusters with dynamic provisioning.
    PersistentVolumeClaim dynamicFromTheReadme =
        render("", "--set", "persistence.enabled=true", "--set", "persistence.storageClass=")
            .one(PersistentVolumeClaim.class, "backup-restore-operator-backups");
    assertThat(dynamicFromTheReadme.getSpec().getStorageClassName()).isNull();

    PersistentVolumeClaim bound =
        render("persistence: {enabled: true, volumeName: nfs-backups}")
            .one(PersistentVolumeClaim.class, "nfs-backups-pvc");
    assertThat(bound.getSpec().getVolumeName()).isEqualTo("nfs-backups");

    RenderedManifests existing = render("persistence: {enabled: true, existingClaim: mine}");
    assertThat(existing.all(PersistentVolumeClaim.class)).isEmpty();
    assertThat(volume(existing, "pv-storage").getPersistentVolumeClaim().getClaimName())
        .isEqualTo("mine");
  }

  @Test
  void claimSpecIsRanchersAndItsNameIsRanchersWithAVolumeName() {
    RenderedManifests rancher =
        RenderedManifests.parse(RANCHER_RENDERS.resolve("rancher-backup-persistence.yaml"));
    PersistentVolumeClaim theirs = rancher.one(PersistentVolumeClaim.class, "rancher-backup-1");
    PersistentVolumeClaim ours =
        render("persistence: {enabled: true}")
            .one(PersistentVolumeClaim.class, "backup-restore-operator-backups");

    // Same values, same claim, except for the name: Rancher's is <release>-<revision> (it changes
    // with
    // every upgrade, and Helm then deletes the old claim), ours is stable.
    assertThat(ours.getSpec()).isEqualTo(theirs.getSpec());
    assertThat(theirs.getMetadata().getName()).isEqualTo("rancher-backup-1");
    // With a volumeName both charts name the claim <volumeName>-pvc (Rancher's
    // backupRestore.pvcName).
    assertThat(
            render("persistence: {enabled: true, volumeName: nfs}")
                .one(PersistentVolumeClaim.class, "nfs-pvc")
                .getSpec()
                .getVolumeName())
        .isEqualTo("nfs");
  }

  @Test
  void s3SecretIsRanchersForTheSameValues() {
    String values =
        """
        s3:
          enabled: true
          bucketName: b
          endpoint: minio:9000
          credentialSecretName: creds
          credentialSecretNamespace: default
        """;
    Secret theirs =
        RenderedManifests.parse(RANCHER_RENDERS.resolve("rancher-backup-s3.yaml"))
            .one(Secret.class, "rancher-backup-s3");
    RenderedManifests ours = render(values);

    assertThat(ours.one(Secret.class, "rancher-backup-s3").getStringData())
        .isEqualTo(theirs.getStringData());
    assertThat(env(ours)).containsEntry("DEFAULT_S3_BACKUP_STORAGE_LOCATION", "rancher-backup-s3");
  }

  @Test
  void s3AndPersistenceTogetherAreRefusedLikeRancher() {
    Helm.Result result =
        helm.tryTemplate(
            OPERATOR_CHART,
            "s3: {enabled: true, bucketName: b, endpoint: e}\npersistence: {enabled: true}");

    assertThat(result.exitCode()).isNotZero();
    assertThat(result.stderr()).contains("Cannot configure both s3 and PV for storing backups");
  }

  @Test
  void metricsAddAHeadlessServiceOnPort8080NamedHttp() {
    RenderedManifests manifests =
        render(
            """
            monitoring:
              metrics: {enabled: true}
              serviceMonitor: {enabled: true}
              prometheusRules: {defaultAlert: {enabled: true}}
            """);
    Service service = manifests.one(Service.class, DEPLOYMENT);

    assertThat(service.getSpec().getClusterIP()).isEqualTo("None");
    assertThat(service.getSpec().getPorts())
        .singleElement()
        .satisfies(
            port -> {
              assertThat(port.getName()).isEqualTo("http");
              assertThat(port.getPort()).isEqualTo(8080);
            });
    assertThat(service.getSpec().getSelector())
        .isEqualTo(
            manifests.one(Deployment.class, DEPLOYMENT).getSpec().getSelector().getMatchLabels());
    assertThat(env(manifests))
        .containsEntry("METRICS_SERVER", "true")
        .containsEntry("BACKUP_DURATION_BUCKETS", "0.5, 1, 2.5, 5, 7.5, 10, 30, 60, 120");
    // Without the Prometheus Operator's API, no ServiceMonitor or PrometheusRule is rendered.
    assertThat(manifests.kinds()).doesNotContain("ServiceMonitor", "PrometheusRule");
  }

  @Test
  void serviceMonitorAndRancherAlertNeedTheMonitoringApi() {
    RenderedManifests manifests =
        render(
            """
            monitoring:
              metrics: {enabled: true}
              serviceMonitor: {enabled: true, additionalLabels: {release: prometheus}}
              prometheusRules:
                defaultAlert: {enabled: true, window: 10m}
                customRules:
                  enabled: true
                  rules: [{alert: RestoreStuck, expr: "rancher_restore_count > 5"}]
            """,
            "--api-versions",
            "monitoring.coreos.com/v1");

    var serviceMonitor = manifests.oneOfKind("ServiceMonitor");
    assertThat(serviceMonitor.getMetadata().getLabels()).containsEntry("release", "prometheus");
    assertThat(ChartYaml.at(serviceMonitor, "spec", "endpoints", 0, "port")).isEqualTo("http");

    var rules = manifests.oneOfKind("PrometheusRule");
    List<?> groups = (List<?>) ChartYaml.at(rules, "spec", "groups");
    assertThat(groups).hasSize(2);
    List<Object> records = new ArrayList<>();
    for (Object rule : (List<?>) ChartYaml.at(rules, "spec", "groups", 0, "rules")) {
      records.add(((Map<?, ?>) rule).get("record"));
    }
    assertThat(records)
        .contains("status:rancher_backups_attempted_total", "status:rancher_backups_failed_total");
    assertThat(ChartYaml.at(rules, "spec", "groups", 0, "rules", 2, "alert"))
        .isEqualTo("BackupFailed");
    assertThat(ChartYaml.at(rules, "spec", "groups", 0, "rules", 2, "expr").toString())
        .contains("[10m]");
    assertThat(ChartYaml.at(rules, "spec", "groups", 0, "rules", 2, "labels", "severity"))
        .isEqualTo("critical");
    assertThat(ChartYaml.at(rules, "spec", "groups", 1, "rules", 0, "alert"))
        .isEqualTo("RestoreStuck");
  }

  @Test
  void serviceMonitorNeedsMetricsEnabled() {
    RenderedManifests manifests =
        render(
            "monitoring: {serviceMonitor: {enabled: true}}",
            "--api-versions",
            "monitoring.coreos.com/v1");

    assertThat(manifests.kinds()).doesNotContain("ServiceMonitor", "Service");
  }

  private static String appVersion() throws IOException {
    return Files.readAllLines(OPERATOR_CHART.resolve("Chart.yaml")).stream()
        .filter(line -> line.startsWith("appVersion:"))
        .map(line -> line.substring("appVersion:".length()).trim().replace("\"", ""))
        .findFirst()
        .orElseThrow();
  }
}
