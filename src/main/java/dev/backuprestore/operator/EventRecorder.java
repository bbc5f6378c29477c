package dev.backuprestore.operator;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records Kubernetes Events about our cluster-scoped resources. Events of cluster-scoped objects
 * live in the {@code default} namespace, where {@code kubectl describe} finds them.
 */
public class EventRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  private static final String COMPONENT = "backup-restore-operator";
  private final KubernetesClient client;
  private final Clock clock;

  public EventRecorder(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  public void normal(HasMetadata about, String reason, String message) {
    record(about, "Normal", reason, message);
  }

  public void warning(HasMetadata about, String reason, String message) {
    record(about, "Warning", reason, message);
  }

  private void record(HasMetadata about, String type, String reason, String message) {
    String now =
        DateTimeFormatter.ISO_OFFSET_DATE_TIME
            .withZone(ZoneOffset.UTC)
            .format(Instant.now(clock).truncatedTo(ChronoUnit.SECONDS));
    String name =
        about.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 13);
    try {
      client
          .v1()
          .events()
          .inNamespace("default")
          .resource(
              new EventBuilder()
                  .withNewMetadata()
                  .withName(name)
                  .withNamespace("default")
                  .endMetadata()
                  .withInvolvedObject(
                      new ObjectReferenceBuilder()
                          .withApiVersion(about.getApiVersion())
                          .withKind(about.getKind())
                          .withName(about.getMetadata().getName())
                          .withUid(about.getMetadata().getUid())
                          .withResourceVersion(about.getMetadata().getResourceVersion())
                          .build())
                  .withType(type)
                  .withReason(reason)
                  .withMessage(message.length() > 1024 ? message.substring(0, 1024) : message)
                  .withFirstTimestamp(now)
                  .withLastTimestamp(now)
                  .withCount(1)
                  .withNewSource()
                  .withComponent(COMPONENT)
                  .endSource()
                  .withReportingComponent(COMPONENT)
                  .build())
          .create();
    } catch (KubernetesClientException e) {
      // An event is a courtesy: failing to record one must not fail the backup or restore.
      LOG.warn(
          "could not record event {} on {}: {}",
          reason,
          about.getMetadata().getName(),
          e.getMessage());
    }
  }
}
