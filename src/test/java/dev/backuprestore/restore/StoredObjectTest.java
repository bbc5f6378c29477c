package dev.backuprestore.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backuprestore.kube.KubeApiException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StoredObjectTest {
  private static StoredObject stored(String json) {
    return new StoredObject("POST /api/v1/namespaces/ns/configmaps", 201, bytes(json));
  }

  private static byte[] bytes(String json) {
    return json.getBytes(StandardCharsets.UTF_8);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cm\",\"uid\":\"u-1\","
            + "\"resourceVersion\":\"7\"},\"data\":{\"k\":\"v\"}}",
        // uid-like fields elsewhere come first: only metadata.uid counts
        "{\"spec\":{\"uid\":\"not-this\",\"metadata\":{\"uid\":\"nor-this\"}},\"uid\":\"no\","
            + "\"metadata\":{\"ownerReferences\":[{\"uid\":\"owner\"}],\"managedFields\":[{\"a\":[1,{\"uid\":2}]}],"
            + "\"uid\":\"u-2\"},\"data\":{\"payload\":\"x\"}}",
        "{\"metadata\":{\"name\":\"no-uid\"},\"data\":{}}",
        "{\"metadata\":{\"uid\":null}}",
        "{\"metadata\":{\"uid\":42}}",
        "{\"metadata\":{\"uid\":{\"odd\":true}}}",
        "{\"metadata\":\"not an object\",\"uid\":\"no\"}",
        "{\"kind\":\"Status\"}",
        "[{\"metadata\":{\"uid\":\"in an array\"}}]",
        "\"text\"",
        "{}",
        ""
      })
  void theUidIsWhatTheParsedObjectSays(String json) {
    String expected = stored(json).object().path("metadata").path("uid").asText(null);
    assertThat(stored(json).uid()).isEqualTo(expected);
  }

  @Test
  void readsTheUidOfATypicalAnswer() {
    assertThat(
            stored(
                    "{\"kind\":\"Secret\",\"metadata\":{\"name\":\"s\",\"uid\":\"6f1c\"},\"data\":{\"p\":\"eA==\"}}")
                .uid())
        .isEqualTo("6f1c");
    assertThat(new StoredObject("POST x", 201, null).uid()).isNull();
  }

  @Test
  void stopsAtTheUidWithoutReadingThePayloadAfterIt() {
    // Not JSON after the uid: the uid is still read, the whole object is not.
    StoredObject answer = stored("{\"metadata\":{\"uid\":\"u-3\"},\"data\":{\"k\": nope");
    assertThat(answer.uid()).isEqualTo("u-3");
    assertThatThrownBy(answer::object)
        .isInstanceOf(KubeApiException.class)
        .hasMessage("POST /api/v1/namespaces/ns/configmaps: the response is not JSON");
  }

  @Test
  void anAnswerThatIsNotJsonBeforeTheUidIsAnError() {
    assertThatThrownBy(() -> stored("<html>proxy error</html>").uid())
        .isInstanceOf(KubeApiException.class)
        .hasMessageContaining("the response is not JSON")
        .satisfies(e -> assertThat(((KubeApiException) e).statusCode()).isEqualTo(201));
    assertThatThrownBy(() -> stored("{\"metadata\":{\"name\":\"cut").uid())
        .isInstanceOf(KubeApiException.class);
  }

  @Test
  void aParsedAnswerIsParsedOnce() {
    StoredObject answer = stored("{\"metadata\":{\"uid\":\"u-4\"}}");
    assertThat(answer.object()).isSameAs(answer.object());
    assertThat(answer.uid()).isEqualTo("u-4");
  }
}
