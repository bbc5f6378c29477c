package dev.backuprestore.kube;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class MetadataCleanerTest {
  private final ObjectMapper mapper = KubeJsonApi.newMapper();

  private ObjectNode object(String json) throws Exception {
    return (ObjectNode) mapper.readTree(json);
  }

  @Test
  void removesExactlyTheSixServerFields() throws Exception {
    ObjectNode secret =
        object(
            """
            {"apiVersion":"v1","kind":"Secret","type":"Opaque","data":{"k":"dg=="},
             "status":{"x":1},
             "metadata":{"name":"s","namespace":"ns","uid":"u","creationTimestamp":"t",
               "deletionTimestamp":"t","selfLink":"/l","resourceVersion":"42",
               "deletionGracePeriodSeconds":30,"generation":3,"labels":{"a":"b"},
               "annotations":{"c":"d"},"finalizers":["f"],
               "ownerReferences":[{"uid":"o"}],"managedFields":[{"manager":"m"}]}}
            """);

    MetadataCleaner.removeServerFields(secret);

    assertThat(secret)
        .isEqualTo(
            object(
                """
                {"apiVersion":"v1","kind":"Secret","type":"Opaque","data":{"k":"dg=="},
                 "status":{"x":1},
                 "metadata":{"name":"s","namespace":"ns","generation":3,"labels":{"a":"b"},
                   "annotations":{"c":"d"},"finalizers":["f"],
                   "ownerReferences":[{"uid":"o"}],"managedFields":[{"manager":"m"}]}}
                """));
  }

  @Test
  void objectWithoutMetadataIsLeftAlone() throws Exception {
    ObjectNode node = object("{\"kind\":\"X\"}");
    MetadataCleaner.removeServerFields(node);
    assertThat(node).isEqualTo(object("{\"kind\":\"X\"}"));
  }

  @Test
  void deletingObjectIsSkippedUnlessFinalizersArePresent() throws Exception {
    assertThat(
            MetadataCleaner.isDeletingWithoutFinalizers(
                object("{\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"a\"}}")))
        .isFalse();
    assertThat(
            MetadataCleaner.isDeletingWithoutFinalizers(
                object("{\"kind\":\"ConfigMap\",\"metadata\":{\"deletionTimestamp\":\"t\"}}")))
        .isTrue();
    assertThat(
            MetadataCleaner.isDeletingWithoutFinalizers(
                object(
                    "{\"kind\":\"ConfigMap\",\"metadata\":{\"deletionTimestamp\":\"t\","
                        + "\"finalizers\":[\"x\"]}}")))
        .isFalse();
  }

  @Test
  void namespaceIsHeldBySpecFinalizersNotMetadataFinalizers() throws Exception {
    assertThat(
            MetadataCleaner.isDeletingWithoutFinalizers(
                object(
                    "{\"kind\":\"Namespace\",\"metadata\":{\"deletionTimestamp\":\"t\"},"
                        + "\"spec\":{\"finalizers\":[\"kubernetes\"]}}")))
        .isFalse();
    assertThat(
            MetadataCleaner.isDeletingWithoutFinalizers(
                object(
                    "{\"kind\":\"Namespace\",\"metadata\":{\"deletionTimestamp\":\"t\","
                        + "\"finalizers\":[\"x\"]},\"spec\":{\"finalizers\":[]}}")))
        .isTrue();
    assertThat(
            MetadataCleaner.isDeletingWithoutFinalizers(
                object("{\"kind\":\"Namespace\",\"metadata\":{\"deletionTimestamp\":\"t\"}}")))
        .isTrue();
  }
}
