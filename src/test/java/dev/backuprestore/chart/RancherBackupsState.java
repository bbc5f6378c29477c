package dev.backuprestore.chart;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backuprestore.testing.Kubectl;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What Rancher Backups' operator leaves in a cluster and on its volume, written by the test since
 * Rancher's operator does not run here: a user's ResourceSet "shop"; a one-time Backup of it and
 * its archive (a Namespace and a ConfigMap that the cluster no longer has); a recurring Backup
 * "nightly" of rancher-resource-set-full every minute, its last three archives and its
 * nextSnapshotAt 25 s ahead; a completed Restore. The status is Rancher's shape, written through
 * the status subresource as Rancher's controllers write it; the archives are Rancher's layout and
 * file names, dated when they were taken.
 *
 * @param shopArchive the one-time Backup's archive
 * @param nightlyArchives the recurring Backup's archives, oldest first
 * @param nightlyNextSnapshotAt the recurring Backup's status.nextSnapshotAt
 */
record RancherBackupsState(
    String shopArchive, List<String> nightlyArchives, String nightlyNextSnapshotAt) {
  private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
  private static final ObjectMapper JSON = new ObjectMapper();

  static RancherBackupsState write(
      Kubectl kubectl, Path volumeDir, String clusterId, ZonedDateTime now) {
    String shopArchive = archiveName(clusterId, "shop-before-migration", now.minusMinutes(30));
    new RancherArchive()
        .file(
            "namespaces.#v1/migrated-shop.json",
            "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"migrated-shop\"}}")
        .file(
            "configmaps.#v1/migrated-shop/settings.json",
            "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"settings\","
                + "\"namespace\":\"migrated-shop\"},\"data\":{\"color\":\"green\"}}")
        .file("filters/filters.json", shopFilters())
        .writeTo(volumeDir.resolve(shopArchive), now.minusMinutes(30));
    // A recurring Backup every minute, its last three runs on the volume.
    List<ZonedDateTime> nightlyRuns =
        Stream.of(140, 80, 20).map(secondsAgo -> now.minusSeconds(secondsAgo)).toList();
    List<String> nightlyArchives =
        nightlyRuns.stream().map(time -> archiveName(clusterId, "nightly", time)).toList();
    for (int i = 0; i < nightlyRuns.size(); i++) {
      new RancherArchive()
          .file(
              "namespaces.#v1/cattle-resources-system.json",
              "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":"
                  + "{\"name\":\"cattle-resources-system\"}}")
          .file("filters/filters.json", "{\"metadata\":{\"name\":\"rancher-resource-set-full\"}}")
          .writeTo(volumeDir.resolve(nightlyArchives.get(i)), nightlyRuns.get(i));
    }

    kubectl.runWithInput(
        """
        apiVersion: resources.cattle.io/v1
        kind: ResourceSet
        metadata: {name: shop}
        resourceSelectors:
          - {apiVersion: v1, kindsRegexp: "^namespaces$", resourceNameRegexp: "^migrated-shop$"}
          - {apiVersion: v1, kindsRegexp: "^configmaps$", namespaces: [migrated-shop]}
        ---
        apiVersion: resources.cattle.io/v1
        kind: Backup
        metadata: {name: shop-before-migration}
        spec: {resourceSetName: shop}
        ---
        apiVersion: resources.cattle.io/v1
        kind: Backup
        metadata: {name: nightly}
        spec: {resourceSetName: rancher-resource-set-full, schedule: "@every 1m", retentionCount: 3}
        ---
        apiVersion: resources.cattle.io/v1
        kind: Restore
        metadata: {name: restore-last-week}
        spec: {backupFilename: %s, prune: false}
        """
            .formatted(shopArchive),
        "apply",
        "-f",
        "-");
    String nightlyNextSnapshotAt = RFC3339.format(now.plusSeconds(25));
    status(
        kubectl,
        "backup",
        "shop-before-migration",
        Map.of(
            "backupType",
            "One-time",
            "filename",
            shopArchive,
            "storageLocation",
            "PV",
            "lastSnapshotTs",
            RFC3339.format(now.minusMinutes(30)),
            "observedGeneration",
            1,
            "conditions",
            completed()));
    status(
        kubectl,
        "backup",
        "nightly",
        Map.of(
            "backupType",
            "Recurring",
            "filename",
            nightlyArchives.get(2),
            "storageLocation",
            "PV",
            "lastSnapshotTs",
            RFC3339.format(now.minusSeconds(20)),
            "nextSnapshotAt",
            nightlyNextSnapshotAt,
            "observedGeneration",
            1,
            "conditions",
            completed()));
    status(
        kubectl,
        "restore",
        "restore-last-week",
        Map.of(
            "backupSource",
            "PV",
            "restoreCompletionTs",
            RFC3339.format(now.minusMinutes(20)),
            "observedGeneration",
            1,
            "conditions",
            completed()));
    return new RancherBackupsState(shopArchive, nightlyArchives, nightlyNextSnapshotAt);
  }

  /** Rancher's file name: {@code <backup>-<kube-system uid>-<RFC 3339, ':' as '-'>.tar.gz}. */
  private static String archiveName(String clusterId, String backup, ZonedDateTime time) {
    return backup
        + "-"
        + clusterId
        + "-"
        + time.withZoneSameInstant(ZoneOffset.UTC)
            .format(DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH-mm-ss'Z'"))
        + ".tar.gz";
  }

  private static String shopFilters() {
    return "{\"metadata\":{\"name\":\"shop\"},\"resourceSelectors\":["
        + "{\"apiVersion\":\"v1\",\"kindsRegexp\":\"^namespaces$\","
        + "\"resourceNameRegexp\":\"^migrated-shop$\"},"
        + "{\"apiVersion\":\"v1\",\"kindsRegexp\":\"^configmaps$\","
        + "\"namespaces\":[\"migrated-shop\"]}],\"controllerReferences\":null}";
  }

  private static List<Map<String, String>> completed() {
    return List.of(Map.of("type", "Ready", "status", "True", "message", "Completed"));
  }

  private static void status(
      Kubectl kubectl, String kind, String name, Map<String, Object> status) {
    try {
      String json = JSON.writeValueAsString(Map.of("status", status));
      kubectl.run("patch", kind, name, "--subresource=status", "--type=merge", "-p", json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
