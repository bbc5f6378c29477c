package dev.backuprestore.operator.etcd;

import dev.backuprestore.api.etcd.v1alpha1.EtcdSnapshot;
import dev.backuprestore.etcd.EtcdHealthCheck;
import dev.backuprestore.etcd.HealthProblem;
import dev.backuprestore.etcd.HealthReport;
import dev.backuprestore.etcd.MemberSnapshotter;
import dev.backuprestore.etcd.SnapshotDirectory;
import dev.backuprestore.etcd.SnapshotOutcome;
import dev.backuprestore.etcd.SnapshotRequest;
import dev.backuprestore.etcd.client.EtcdConnector;
import dev.backuprestore.etcd.client.EtcdMember;
import dev.backuprestore.kube.OperatorException;
import dev.backuprestore.kube.ValidationException;
import dev.backuprestore.storage.S3Location;
import dev.backuprestore.storage.S3Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Operator mode: the operator reaches the members itself (endpoints and a client certificate
 * Secret), checks their health, streams the designated member's snapshot into a work directory,
 * uploads it and deletes the work copy. There are no node copies in this mode.
 */
final class OperatorModeRunner {
  private final EtcdAccessResolver access;
  private final EtcdSnapshotFiles files;
  private final Clock clock;
  private final String operatorVersion;

  OperatorModeRunner(
      EtcdAccessResolver access, EtcdSnapshotFiles files, Clock clock, String operatorVersion) {
    this.access = access;
    this.files = files;
    this.clock = clock;
    this.operatorVersion = operatorVersion;
  }

  RunStep run(EtcdSnapshot snapshot, String name, int s3Retention, Duration timeout) {
    List<String> endpoints = access.endpoints(snapshot);
    if (endpoints.isEmpty()) {
      throw new ValidationException("operator mode needs spec.etcd.endpoints");
    }
    S3Location location = access.s3(snapshot);
    if (location == null) {
      throw new ValidationException(
          "operator mode keeps no local copies: set spec.storageLocation.s3");
    }
    EtcdConnector connector =
        new EtcdConnector(access.tls(snapshot), timeout, EtcdConnector.SnapshotTransport.AUTO);
    HealthReport health =
        new EtcdHealthCheck(connector, EtcdHealthCheck.DEFAULT_MAX_APPLIED_LAG).check(endpoints);
    var members = MemberStatuses.of(health);
    if (!health.healthy()) {
      HealthProblem first = health.problems().get(0);
      return new RunStep.Unhealthy(
          members, first.member(), first.reason(), "etcd unhealthy: " + health.summary());
    }
    EtcdMember designated = MemberStatuses.designated(health);
    long started = System.nanoTime();
    Path work = null;
    try (S3Store store = new S3Store(location)) {
      work = Files.createTempDirectory("etcd-snapshot-");
      SnapshotOutcome outcome =
          new MemberSnapshotter(
                  connector,
                  clock,
                  operatorVersion,
                  !Boolean.FALSE.equals(snapshot.getSpec().getCompress()))
              .snapshot(
                  new SnapshotRequest(
                      name,
                      designated.clientURLs().get(0),
                      "",
                      new SnapshotDirectory(work),
                      false,
                      store,
                      0,
                      s3Retention,
                      null,
                      Map.of()),
                  health);
      files.recordS3(snapshot, outcome, location);
      files.deleted(
          EtcdSnapshotFiles.S3_NODE,
          outcome.deletedS3(),
          n -> EtcdSnapshotFiles.s3Url(location, n + ".zip"));
      files.rebuildS3(snapshot, store, location);
      return new RunStep.Done(
          members,
          List.of(outcome),
          "Snapshot "
              + name
              + " of member "
              + outcome.member()
              + " (revision "
              + outcome.revision()
              + ") uploaded to "
              + location.describe(),
          true,
          (System.nanoTime() - started) / 1e9);
    } catch (IOException e) {
      throw new OperatorException("etcd snapshot work directory: " + e.getMessage(), false, e);
    } finally {
      deleteQuietly(work);
    }
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temp directory
    }
  }
}
