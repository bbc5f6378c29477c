package dev.backuprestore.api.v1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.backuprestore.testing.RancherReferenceData;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reads Rancher's examples and fixtures into the api.v1 classes and writes them back with the
 * fabric8 serialization the operator uses: the JSON must be the same, so no field is lost, renamed
 * or added (nulls stay out, convenience getters do not leak).
 */
class ApiRoundTripTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();
  private final KubernetesSerialization serialization = new KubernetesSerialization();

  static Stream<Path> rancherExamples() throws IOException {
    try (Stream<Path> files = Files.list(RancherReferenceData.dir("examples"))) {
      List<Path> backupsAndRestores =
          files
              .filter(f -> f.toString().endsWith(".yaml"))
              .filter(f -> kindOf(f).matches("Backup|Restore"))
              .sorted()
              .toList();
      // 8 Backups and 6 Restores at the pinned Rancher commit: guards against testing nothing.
      assertThat(backupsAndRestores).hasSizeGreaterThanOrEqualTo(12);
      return backupsAndRestores.stream();
    }
  }

  @ParameterizedTest
  @MethodSource("rancherExamples")
  void rancherExampleSurvivesTheRoundTrip(Path example) throws IOException {
    String yaml = Files.readString(example);
    Class<?> type = kindOf(example).equals("Backup") ? Backup.class : Restore.class;

    Object typed = serialization.unmarshal(yaml, type);

    assertThat(typed).isInstanceOf(type);
    assertThat(asTree(typed)).isEqualTo(normalized(YAML.readTree(yaml)));
  }

  @Test
  void backupWithEveryFieldSurvivesTheRoundTrip() throws IOException {
    String yaml =
        """
        apiVersion: resources.cattle.io/v1
        kind: Backup
        metadata: {name: nightly, generation: 3}
        spec:
          resourceSetName: rancher-resource-set
          encryptionConfigSecretName: encryptionconfig
          schedule: "@midnight"
          retentionCount: 9007199254740993
          storageLocation:
            s3:
              endpoint: minio.example:9000
              bucketName: backups
              endpointCA: LS0tLS1CRUdJTi0tLS0t
              insecureTLSSkipVerify: true
              credentialSecretName: creds
              credentialSecretNamespace: default
              region: us-west-2
              folder: cluster-a
              clientConfig:
                aws: {dualStack: false}
                bucketLookup: path
        status:
          conditions:
          - {type: Ready, status: "True", message: Completed, reason: Done,
             lastUpdateTime: "2024-06-01T00:00:05Z", lastTransitionTime: "2024-06-01T00:00:00Z"}
          - {type: Uploaded, status: "True"}
          lastSnapshotTs: "2024-06-01T00:00:05Z"
          nextSnapshotAt: "2024-06-02T00:00:00Z"
          observedGeneration: 3
          storageLocation: S3
          backupType: Recurring
          filename: nightly-uid-2024-06-01T00-00-00Z.tar.gz.enc
          summary: ""
        """;

    Backup backup = serialization.unmarshal(yaml, Backup.class);

    assertThat(asTree(backup)).isEqualTo(normalized(YAML.readTree(yaml)));
    // int64 kept exactly (2^53 + 1 is not representable as a double)
    assertThat(backup.getSpec().getRetentionCount()).isEqualTo(9007199254740993L);
    assertThat(backup.getSpec().isRecurring()).isTrue();
    S3ObjectStore s3 = backup.getSpec().getStorageLocation().getS3();
    assertThat(s3.getEndpointCA()).isEqualTo("LS0tLS1CRUdJTi0tLS0t");
    assertThat(s3.isInsecureTLSSkipVerifyEffective()).isTrue();
    assertThat(s3.getClientConfig().getAws().isDualStackEffective()).isFalse();
    assertThat(backup.getStatus().getBackupType()).isEqualTo(BackupType.RECURRING);
    assertThat(backup.getStatus().getConditions())
        .extracting(Condition::getType, Condition::getStatus)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("Ready", "True"),
            org.assertj.core.groups.Tuple.tuple("Uploaded", "True"));
  }

  @Test
  void restoreWithEveryFieldSurvivesTheRoundTrip() throws IOException {
    String yaml =
        """
        apiVersion: resources.cattle.io/v1
        kind: Restore
        metadata: {name: restore-migration}
        spec:
          backupFilename: nightly-uid-2024-06-01T00-00-00Z.tar.gz
          prune: false
          deleteTimeoutSeconds: 10
          ignoreErrors: true
          encryptionConfigSecretName: encryptionconfig
          storageLocation:
            s3: {endpoint: s3.us-west-2.amazonaws.com, bucketName: backups}
        status:
          conditions:
          - {type: Reconciling, status: "False", reason: Error, message: boom}
          restoreCompletionTs: "2024-06-01T00:10:00Z"
          observedGeneration: 1
          backupSource: S3
          summary: ""
        """;

    Restore restore = serialization.unmarshal(yaml, Restore.class);

    assertThat(asTree(restore)).isEqualTo(normalized(YAML.readTree(yaml)));
    assertThat(restore.getSpec().isPruneEffective()).isFalse();
    assertThat(restore.getSpec().getDeleteTimeoutSecondsEffective()).isEqualTo(10);
    assertThat(restore.getSpec().isIgnoreErrorsEffective()).isTrue();
  }

  @Test
  void resourceSetKeepsItsFieldsAtTheTopLevel() throws IOException {
    ObjectNode resourceSet = JSON.createObjectNode();
    resourceSet.put("apiVersion", "resources.cattle.io/v1").put("kind", "ResourceSet");
    resourceSet.putObject("metadata").put("name", "rancher-resource-set-full");
    ArrayNode selectors = resourceSet.putArray("resourceSelectors");
    // Every selector of Rancher's chart, which between them use every ResourceSelector field
    // except fieldSelectors, added below.
    try (Stream<Path> files = Files.walk(RancherReferenceData.dir("resourcesets"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        YAML.readTree(file.toFile()).forEach(selectors::add);
      }
    }
    assertThat(selectors).hasSizeGreaterThan(20);
    ((ObjectNode) selectors.get(0)).putObject("fieldSelectors").put("metadata.name", "local");
    resourceSet
        .putArray("controllerReferences")
        .addObject()
        .put("apiVersion", "apps/v1")
        .put("resource", "deployments")
        .put("namespace", "cattle-system")
        .put("name", "rancher")
        .put("replicas", 3);
    String json = JSON.writeValueAsString(resourceSet);

    ResourceSet typed = serialization.unmarshal(json, ResourceSet.class);

    assertThat(asTree(typed)).isEqualTo(normalized(resourceSet));
    assertThat(asTree(typed).has("spec")).isFalse();
    assertThat(asTree(typed).has("status")).isFalse();
    assertThat(typed.getResourceSelectors()).hasSize(selectors.size());
    assertThat(typed.getControllerReferences().get(0).getReplicas()).isEqualTo(3);
  }

  @Test
  void resourceSetNeverWritesAStatus() throws IOException {
    ResourceSet resourceSet = new ResourceSet();
    resourceSet.setStatus(new ResourceSetStatus());

    assertThat(asTree(resourceSet).has("status")).isFalse();
  }

  @Test
  void unsetOptionalsHaveRancherSemantics() {
    RestoreSpec restore = new RestoreSpec();
    assertThat(restore.isPruneEffective()).as("prune defaults to true").isTrue();
    assertThat(restore.getDeleteTimeoutSecondsEffective()).isZero();
    assertThat(restore.isIgnoreErrorsEffective()).isFalse();
    assertThat(new AwsConfig().isDualStackEffective()).isTrue();
    assertThat(new S3ObjectStore().isInsecureTLSSkipVerifyEffective()).isFalse();
    BackupSpec backup = new BackupSpec();
    assertThat(backup.isRecurring()).isFalse();
    backup.setSchedule(" ");
    assertThat(backup.isRecurring()).as("a blank schedule is a one-time backup").isFalse();
  }

  @Test
  void newResourcesAreClusterScopedWithRancherNames() {
    Backup backup = new Backup();
    assertThat(backup.getApiVersion()).isEqualTo("resources.cattle.io/v1");
    assertThat(backup.getKind()).isEqualTo("Backup");
    assertThat(backup.getPlural()).isEqualTo("backups");
    assertThat(new Restore().getPlural()).isEqualTo("restores");
    assertThat(new ResourceSet().getPlural()).isEqualTo("resourcesets");
    assertThat(backup.getScope()).isEqualTo("Cluster");
    assertThat(new Restore().getScope()).isEqualTo("Cluster");
    assertThat(new ResourceSet().getScope()).isEqualTo("Cluster");
  }

  private JsonNode asTree(Object typed) throws IOException {
    return normalized(JSON.readTree(serialization.asJson(typed)));
  }

  /** Re-reads the tree as JSON so that numbers of the same value get the same node type. */
  private static JsonNode normalized(JsonNode tree) throws IOException {
    return JSON.readTree(JSON.writeValueAsString(tree));
  }

  private static String kindOf(Path yamlFile) {
    try {
      return YAML.readTree(yamlFile.toFile()).path("kind").asText();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + yamlFile, e);
    }
  }
}
