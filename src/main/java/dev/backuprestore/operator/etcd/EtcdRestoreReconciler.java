package dev.backuprestore.operator.etcd;

import dev.backuprestore.api.etcd.v1alpha1.EtcdRestore;
import dev.backuprestore.api.etcd.v1alpha1.EtcdRestoreNodeStatus;
import dev.backuprestore.api.etcd.v1alpha1.EtcdRestoreStatus;
import dev.backuprestore.etcd.restore.PreparedCheck;
import dev.backuprestore.kube.OperatorException;
import dev.backuprestore.operator.EventRecorder;
import dev.backuprestore.operator.status.StatusWriter;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Orchestrates EtcdRestores: resolve the snapshot and the nodes, run one prepare Job per node,
 * record every node's verified sha256 or error and the {@code Prepared} verdict once per
 * generation, with an Event. The checks are {@link PreparedCheck}'s and the nodes'; it never
 * touches an etcd data directory.
 */
public class EtcdRestoreReconciler implements Reconciler<EtcdRestore> {
  private static final Duration POLL = Duration.ofSeconds(5);
  private final KubernetesClient client;
  private final PrepareSnapshotResolver resolver;
  private final PrepareJobRunner runner;
  private final StatusWriter statusWriter;
  private final EventRecorder events;
  private final EtcdRestoreConditions conditions;

  EtcdRestoreReconciler(
      KubernetesClient client,
      PrepareSnapshotResolver resolver,
      PrepareJobRunner runner,
      StatusWriter statusWriter,
      EventRecorder events,
      Clock clock) {
    this.client = client;
    this.resolver = resolver;
    this.runner = runner;
    this.statusWriter = statusWriter;
    this.events = events;
    this.conditions = new EtcdRestoreConditions(clock);
  }

  @Override
  public UpdateControl<EtcdRestore> reconcile(EtcdRestore cached, Context<EtcdRestore> ctx) {
    EtcdRestore restore =
        client.resources(EtcdRestore.class).withName(cached.getMetadata().getName()).get();
    if (restore == null || restore.isMarkedForDeletion()) {
      return UpdateControl.noUpdate();
    }
    EtcdRestoreStatus status = copy(restore.getStatus());
    Long generation = restore.getMetadata().getGeneration();
    if (Objects.equals(status.getObservedGeneration(), generation)) {
      return UpdateControl.noUpdate(); // this generation's verdict is in
    }
    PrepareSnapshotResolver.Plan plan = resolver.resolve(restore);
    status.setSnapshot(plan.location());
    status.setExpectedSha256(plan.expectedSha256());
    if (plan.nodes().isEmpty()) {
      return finish(
          restore,
          status,
          PreparedCheck.check(plan.expectedSha256(), List.of(), java.util.Map.of()));
    }
    PrepareJobRunner.Step step = runner.run(restore, plan);
    if (step instanceof PrepareJobRunner.Waiting waiting) {
      status.setNodes(List.of()); // an earlier generation's results are not this one's
      status.setConditions(
          conditions.inProgress(
              status.getConditions(),
              "Fetching and verifying "
                  + plan.location()
                  + " on "
                  + String.join(", ", waiting.nodes())));
      statusWriter.write(restore, status, EtcdRestore::new);
      return UpdateControl.<EtcdRestore>noUpdate().rescheduleAfter(POLL);
    }
    return finish(restore, status, ((PrepareJobRunner.Finished) step).verdict());
  }

  private UpdateControl<EtcdRestore> finish(
      EtcdRestore restore, EtcdRestoreStatus status, PreparedCheck.Verdict verdict) {
    status.setNodes(verdict.nodes().stream().map(EtcdRestoreReconciler::nodeStatus).toList());
    status.setObservedGeneration(restore.getMetadata().getGeneration());
    status.setConditions(
        conditions.finished(
            status.getConditions(),
            verdict.prepared(),
            verdict.reason(),
            verdict.message(),
            !verdict.prepared()));
    statusWriter.write(restore, status, EtcdRestore::new);
    if (verdict.prepared()) {
      events.normal(restore, "EtcdRestorePrepared", verdict.message());
    } else {
      events.warning(restore, "EtcdRestoreNotPrepared", verdict.message());
    }
    return UpdateControl.noUpdate();
  }

  private static EtcdRestoreNodeStatus nodeStatus(PreparedCheck.NodeCheck check) {
    EtcdRestoreNodeStatus node = new EtcdRestoreNodeStatus();
    node.setNode(check.node());
    node.setSha256(check.sha256());
    node.setMatches(check.matches());
    node.setReason(check.reason());
    node.setError(check.error());
    return node;
  }

  @Override
  public ErrorStatusUpdateControl<EtcdRestore> updateErrorStatus(
      EtcdRestore restore, Context<EtcdRestore> context, Exception error) {
    String message = error.getMessage() == null ? error.toString() : error.getMessage();
    boolean permanent = error instanceof OperatorException oe && oe.isPermanent();
    EtcdRestore latest =
        client.resources(EtcdRestore.class).withName(restore.getMetadata().getName()).get();
    EtcdRestore base = latest == null ? restore : latest;
    EtcdRestoreStatus status = copy(base.getStatus());
    var previous =
        EtcdRestoreConditions.find(status.getConditions(), EtcdRestoreConditions.PREPARED);
    boolean alreadyReported = previous != null && Objects.equals(previous.getMessage(), message);
    status.setConditions(
        conditions.finished(
            status.getConditions(),
            false,
            permanent ? "InvalidSpec" : "Error",
            message,
            permanent));
    if (permanent) {
      status.setObservedGeneration(base.getMetadata().getGeneration());
    }
    statusWriter.write(base, status, EtcdRestore::new);
    if (!alreadyReported) {
      events.warning(restore, "EtcdRestoreNotPrepared", message);
    }
    ErrorStatusUpdateControl<EtcdRestore> control = ErrorStatusUpdateControl.noStatusUpdate();
    return permanent ? control.withNoRetry() : control;
  }

  private static EtcdRestoreStatus copy(EtcdRestoreStatus status) {
    return status == null
        ? new EtcdRestoreStatus()
        : new com.fasterxml.jackson.databind.ObjectMapper()
            .convertValue(status, EtcdRestoreStatus.class);
  }
}
