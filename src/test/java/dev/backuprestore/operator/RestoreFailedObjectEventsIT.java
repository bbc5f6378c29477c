package dev.backuprestore.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.backuprestore.api.v1.Restore;
import dev.backuprestore.operator.status.Conditions;
import dev.backuprestore.restore.RestoreResult;
import dev.backuprestore.testing.BackupRestoreClient;
import dev.backuprestore.testing.ConfigMapArchive;
import dev.backuprestore.testing.OperatorExtension;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A restore that fails on more objects than the status keeps names every one of them in Warning
 * Events {@code RestoreObjectFailed} on the Restore, readable without the operator's logs; the
 * status keeps its count and first failures as before.
 */
class RestoreFailedObjectEventsIT {
  private static final String SYSTEM = "rit-failed-events-system";
  private static final int OBJECTS = 25;

  @RegisterExtension static final OperatorExtension OPERATOR = OperatorExtension.inProcess(SYSTEM);

  private static KubernetesClient client;
  private static BackupRestoreClient crs;

  @BeforeAll
  static void clients() {
    client = OPERATOR.client();
    crs = new BackupRestoreClient(client, "restore-failed-events");
  }

  @AfterAll
  static void cleanUp() {
    if (crs != null) {
      crs.deleteAll();
    }
  }

  /** An archive of {@value #OBJECTS} ConfigMaps the API server refuses (422: invalid data key). */
  private static String refusedArchive(String namespace) {
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .serverSideApply();
    assertThat(OBJECTS).isGreaterThan(RestoreResult.MAX_FAILURES);
    return ConfigMapArchive.write(
        OPERATOR.localDirectory(),
        namespace + ".tar.gz",
        namespace,
        OBJECTS,
        "archived",
        "not a valid key!");
  }

  private static List<String> expectedLines(String namespace) {
    return IntStream.range(0, OBJECTS)
        .mapToObj(i -> "configmaps " + namespace + "/" + ConfigMapArchive.name(i))
        .toList();
  }

  /** The Events RestoreObjectFailed on the Restore, by part number. */
  private static List<Event> failedObjectEvents(Restore restore, int atLeast) {
    return await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                crs.events(restore, "Warning").stream()
                    .filter(e -> FailedObjectEvents.REASON.equals(e.getReason()))
                    .sorted(Comparator.comparing(e -> part(e.getMessage())))
                    .toList(),
            events -> events.size() >= atLeast);
  }

  private static int part(String message) {
    String header = message.lines().findFirst().orElseThrow();
    return Integer.parseInt(header.substring(header.lastIndexOf('(') + 1, header.indexOf('/')));
  }

  /** Checks the Events and returns the object of each line. */
  private static List<String> listedObjects(List<Event> events, String namespace) {
    assertThat(events).isNotEmpty();
    assertThat(events.get(0).getMessage())
        .startsWith(OBJECTS + " objects could not be restored (1/" + events.size() + "):");
    List<String> objects = new ArrayList<>();
    for (Event event : events) {
      assertThat(event.getMessage().length()).isLessThanOrEqualTo(1024);
      List<String> lines = event.getMessage().lines().toList();
      for (String line : lines.subList(1, lines.size())) {
        assertThat(line).startsWith("configmaps " + namespace + "/").contains(": 422 Invalid");
        objects.add(line.substring(0, line.indexOf(": ")));
      }
    }
    return objects;
  }

  @Test
  void withIgnoreErrorsTheRestoreCompletesAndEventsNameEveryFailedObject() {
    String namespace = "rit-failed-events-ignore";
    String file = refusedArchive(namespace);

    crs.createRestore("rit-failed-events-ignore", file, spec -> spec.setIgnoreErrors(true));
    Restore restore = crs.awaitCompleted("rit-failed-events-ignore");

    assertThat(restore.getStatus().getSummary())
        .startsWith("created=0 updated=0 pruned=0 failed=" + OBJECTS);
    List<Event> events = failedObjectEvents(restore, 2);
    assertThat(events.size()).as("several objects per Event").isLessThan(OBJECTS);
    assertThat(listedObjects(events, namespace))
        .containsExactlyInAnyOrderElementsOf(expectedLines(namespace));
  }

  @Test
  void withoutIgnoreErrorsTheRestoreStallsNamingTheFirstFailuresAndEventsNameThemAll() {
    String namespace = "rit-failed-events-stall";
    String file = refusedArchive(namespace);

    crs.createRestore("rit-failed-events-stall", file, spec -> {});
    Restore restore = crs.awaitStalled("rit-failed-events-stall");

    assertThat(Conditions.message(restore.getStatus().getConditions(), Conditions.STALLED))
        .startsWith(OBJECTS + " objects failed: configmaps " + namespace + "/cm-")
        .contains("422 Invalid");
    List<Event> events = failedObjectEvents(restore, 2);
    assertThat(listedObjects(events, namespace))
        .containsExactlyInAnyOrderElementsOf(expectedLines(namespace));
  }
}
