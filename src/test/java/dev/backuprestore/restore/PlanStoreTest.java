package dev.backuprestore.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backuprestore.archive.ArchiveFormatException;
import dev.backuprestore.archive.ObjectPath;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PlanStoreTest {
  private final PlanStore store = new PlanStore();

  @AfterEach
  void close() {
    store.close();
  }

  private static ObjectPath configMap(String namespace, String name) {
    return new ObjectPath("", "v1", "configmaps", namespace, name);
  }

  @Test
  void keepsEveryFieldOfManyObjectsAcrossChunks() {
    // 40,000 records of 64 bytes and their names span several 1 MiB chunks of each area.
    int count = 40_000;
    for (int i = 0; i < count; i++) {
      List<OwnerRef> owners =
          i % 3 == 0 ? List.of() : List.of(new OwnerRef("apps/v1", "ReplicaSet", "rs-é-" + i));
      store.add(
          configMap(i % 2 == 0 ? null : "ns-" + (i % 7), "name-" + "x".repeat(i % 50) + i),
          "ConfigMap",
          owners);
    }
    store.seal();

    assertThat(store.spilledBytes()).isGreaterThan(3L * SpillFile.CHUNK_SIZE);
    for (int i = 0; i < count; i++) {
      ObjectPath path =
          configMap(i % 2 == 0 ? null : "ns-" + (i % 7), "name-" + "x".repeat(i % 50) + i);
      assertThat(store.path(i)).isEqualTo(path);
      assertThat(store.find(path)).isEqualTo(i);
      assertThat(store.findIdentity("", "ConfigMap", path.namespace(), path.name())).isEqualTo(i);
      assertThat(store.owners(i))
          .isEqualTo(
              i % 3 == 0 ? List.of() : List.of(new OwnerRef("apps/v1", "ReplicaSet", "rs-é-" + i)));
      assertThat(store.wave(i)).isEqualTo(-1);
    }
    assertThat(store.find(configMap("ns-1", "absent"))).isEqualTo(-1);
    assertThat(store.find(configMap("unknown-namespace", "name-1"))).isEqualTo(-1);
    assertThat(store.find(new ObjectPath("", "v2", "configmaps", null, "name-0"))).isEqualTo(-1);
    assertThat(store.findIdentity("", "Secret", null, "name-0")).isEqualTo(-1);
  }

  @Test
  void statesAndLiveUidsOfAnyShape() {
    int a = store.add(configMap("ns", "a"), "ConfigMap", List.of());
    int b = store.add(configMap("ns", "b"), "ConfigMap", List.of());
    int c = store.add(configMap("ns", "c"), "ConfigMap", List.of());
    store.seal();

    store.state(a, PlannedObject.State.APPLIED, "0f8fad5b-d9cb-469f-a165-70867728950e");
    store.state(b, PlannedObject.State.SKIPPED, "not-a-uuid");
    store.state(c, PlannedObject.State.FAILED, null);

    assertThat(store.state(a)).isEqualTo(PlannedObject.State.APPLIED);
    assertThat(store.liveUid(a)).isEqualTo("0f8fad5b-d9cb-469f-a165-70867728950e");
    assertThat(store.state(b)).isEqualTo(PlannedObject.State.SKIPPED);
    assertThat(store.liveUid(b)).isEqualTo("not-a-uuid");
    assertThat(store.state(c)).isEqualTo(PlannedObject.State.FAILED);
    assertThat(store.liveUid(c)).isNull();
  }

  @Test
  void theFirstOfTwoVersionsWinsTheOwnerIndexAndARepeatedPathFails() {
    int v1 =
        store.add(new ObjectPath("example.com", "v1", "widgets", "ns", "w"), "Widget", List.of());
    store.add(new ObjectPath("example.com", "v2", "widgets", "ns", "w"), "Widget", List.of());
    store.seal();
    assertThat(store.findIdentity("example.com", "Widget", "ns", "w")).isEqualTo(v1);

    PlanStore repeated = new PlanStore();
    repeated.add(configMap("ns", "same"), "ConfigMap", List.of());
    repeated.add(configMap("ns", "same"), "ConfigMap", List.of());
    assertThatThrownBy(repeated::seal)
        .isInstanceOf(ArchiveFormatException.class)
        .hasMessage("archive entry 'configmaps.#v1/ns/same.json': duplicate entry");
    repeated.close();
  }
}
