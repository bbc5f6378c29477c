package dev.backuprestore.operator;

import dev.backuprestore.api.v1.ConditionedStatus;
import dev.backuprestore.operator.status.Conditions;
import dev.backuprestore.operator.status.StatusWriter;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that records a failed run, for Backups and Restores alike: the status (conditions;
 * on a failure that needs the user, {@code observedGeneration}, which makes a one-time resource
 * terminal for its generation), a Warning Event, the log line. The reconcilers add only what is
 * their own (a recurring Backup's next run, the metric).
 */
final class FailureRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(FailureRecorder.class);

  /**
   * What was recorded.
   *
   * @param message the single-line message now in the status
   * @param needsUserAction the failure is permanent under the rule of {@link Failures}
   */
  record Failure(String message, boolean needsUserAction) {}

  private final KubernetesClient client;
  private final StatusWriter statusWriter;
  private final Conditions conditions;
  private final EventRecorder events;

  FailureRecorder(
      KubernetesClient client,
      StatusWriter statusWriter,
      Conditions conditions,
      EventRecorder events) {
    this.client = client;
    this.statusWriter = statusWriter;
    this.conditions = conditions;
    this.events = events;
  }

  /**
   * Records {@code error} on the latest version of {@code resource}.
   *
   * @param copy deep-copies a status (null gives an empty one)
   * @param fresh an empty resource of the type, for the status patch
   * @param more what the reconciler adds to the status (e.g. the next scheduled run)
   * @param eventEveryTime an Event even if the status already shows the same message (a new
   *     scheduled run that failed again); otherwise a repeated failure is not re-announced
   */
  <S extends ConditionedStatus, R extends CustomResource<?, S>> Failure record(
      R resource,
      Exception error,
      UnaryOperator<S> copy,
      Supplier<R> fresh,
      Consumer<S> more,
      boolean eventEveryTime) {
    String message = Failures.message(error);
    boolean needsUser = Failures.needsUserAction(error);
    String kind = resource.getKind();
    LOG.warn(
        "{} {} failed{}: {}",
        kind,
        resource.getMetadata().getName(),
        needsUser ? " (needs user action)" : ", will retry",
        message);
    R latest = latest(resource);
    S status = copy.apply(latest.getStatus());
    boolean alreadyReported =
        Objects.equals(Conditions.message(status.getConditions(), Conditions.RECONCILING), message)
            && (Conditions.find(status.getConditions(), Conditions.STALLED) != null) == needsUser;
    status.setConditions(conditions.failed(status.getConditions(), message, needsUser));
    if (needsUser) {
      // Stalled for this generation: only a spec edit (a new generation) runs it again.
      status.setObservedGeneration(latest.getMetadata().getGeneration());
    }
    more.accept(status);
    statusWriter.write(latest, status, fresh);
    if (eventEveryTime || !alreadyReported) {
      events.warning(latest, kind + (needsUser ? "Stalled" : "Failed"), message);
    }
    return new Failure(message, needsUser);
  }

  @SuppressWarnings("unchecked")
  private <R extends CustomResource<?, ?>> R latest(R resource) {
    R latest =
        client
            .resources((Class<R>) resource.getClass())
            .withName(resource.getMetadata().getName())
            .get();
    return latest == null ? resource : latest;
  }
}
