package dev.backuprestore.operator.etcd;

import dev.backuprestore.api.etcd.v1alpha1.EtcdMemberStatus;
import dev.backuprestore.etcd.SnapshotOutcome;
import java.time.Duration;
import java.util.List;

/** What one reconcile of a run achieved. */
sealed interface RunStep {
  /** The members as the health check saw them (may be empty). */
  List<EtcdMemberStatus> members();

  /** The snapshot was taken; {@code copies} are the successful copies (S3 first when uploaded). */
  record Done(
      List<EtcdMemberStatus> members,
      List<SnapshotOutcome> copies,
      String message,
      boolean uploaded,
      double seconds)
      implements RunStep {}

  /** The health check failed (or a transient step did): try again after {@code delay}. */
  record Unhealthy(List<EtcdMemberStatus> members, String member, String reason, String message)
      implements RunStep {}

  /** The run failed for good (no retry helps within this run). */
  record Failed(List<EtcdMemberStatus> members, String member, String reason, String message)
      implements RunStep {}

  /** Node mode: Jobs are still running. */
  record Waiting(List<EtcdMemberStatus> members, String message, Duration delay)
      implements RunStep {}
}
