package dev.backuprestore.operator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OperatorConfigTest {
  private static final String[] NO_ARGS = {};

  @Test
  void readsRancherEnvironmentVariables() {
    OperatorConfig config =
        OperatorConfig.from(
            Map.of(
                "CHART_NAMESPACE", "cattle-resources-system",
                "DEFAULT_S3_BACKUP_STORAGE_LOCATION", "rancher-backup-s3",
                "METRICS_SERVER", "true",
                "BACKUP_DURATION_BUCKETS", "1, 2.5,10",
                // Set by Rancher's chart; ignored (keys are never written to disk), not refused.
                "ENCRYPTION_PROVIDER_LOCATION", "/encryption"),
            new String[] {"--debug", "--kubeconfig", "/tmp/k"});

    assertThat(config.chartNamespace()).isEqualTo("cattle-resources-system");
    assertThat(config.defaultS3SecretName()).isEqualTo("rancher-backup-s3");
    assertThat(config.metricsEnabled()).isTrue();
    assertThat(config.backupDurationBuckets()).containsExactly(1.0, 2.5, 10.0);
    assertThat(config.kubeconfig()).isEqualTo(Path.of("/tmp/k"));
    assertThat(config.logLevel()).isEqualTo("debug");
    assertThat(config.defaultLocalDirectory()).isEmpty();
    assertThat(config.devMode()).isFalse();
  }

  @Test
  void chartNamespaceIsRequired() {
    assertThatThrownBy(() -> OperatorConfig.from(Map.of(), NO_ARGS))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("CHART_NAMESPACE is not set");
  }

  @Test
  void versionNeedsNoConfiguration() {
    assertThat(OperatorConfig.from(Map.of(), new String[] {"--version"}).printVersion()).isTrue();
  }

  @Test
  void pvcAndS3TogetherAreRefused() {
    assertThatThrownBy(
            () ->
                OperatorConfig.from(
                    Map.of(
                        "CHART_NAMESPACE", "ns",
                        "DEFAULT_PERSISTENCE_ENABLED", "true",
                        "DEFAULT_S3_BACKUP_STORAGE_LOCATION", "s3"),
                    NO_ARGS))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("cannot configure PVC and S3 both");
  }

  @Test
  void persistenceMeansTheMountedVolume() {
    OperatorConfig config =
        OperatorConfig.from(
            Map.of("CHART_NAMESPACE", "ns", "DEFAULT_PERSISTENCE_ENABLED", "1"), NO_ARGS);
    assertThat(config.defaultLocalDirectory()).contains(Path.of("/var/lib/backups"));
  }

  @Test
  void devModeWithoutPersistenceUsesLocalBackupsDirectory() {
    OperatorConfig config =
        OperatorConfig.from(Map.of("CHART_NAMESPACE", "ns", "CATTLE_DEV_MODE", "yes"), NO_ARGS);
    assertThat(config.defaultLocalDirectory()).contains(Path.of("backups").toAbsolutePath());
  }

  @Test
  void invalidBucketsFallBackToRancherDefaults() {
    assertThat(OperatorConfig.parseBuckets("1,two,3"))
        .isEqualTo(OperatorConfig.DEFAULT_DURATION_BUCKETS);
    assertThat(OperatorConfig.parseBuckets(""))
        .isEqualTo(List.of(0.5, 1.0, 2.5, 5.0, 7.5, 10.0, 30.0, 60.0, 120.0));
  }

  @Test
  void unknownFlagsAreOneLineErrors() {
    assertThatThrownBy(
            () -> OperatorConfig.from(Map.of("CHART_NAMESPACE", "ns"), new String[] {"--verbose"}))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageNotContaining("\n")
        .hasMessageContaining("--verbose");
  }
}
