package dev.backuprestore.operator.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Patches the status subresource of our custom resources with a fresh object that carries only the
 * name and the new status (a JSON merge patch, so it never overwrites the spec), and skips the call
 * when the status would not change. Returns the object the server answered with.
 */
public final class StatusWriter {
  private static final Logger LOG = LoggerFactory.getLogger(StatusWriter.class);
  private final KubernetesClient client;
  private final ObjectMapper mapper = new ObjectMapper();

  public StatusWriter(KubernetesClient client) {
    this.client = client;
  }

  /**
   * Writes {@code status} onto {@code current} unless it equals the current status.
   *
   * @param fresh creates an empty object of the resource's class
   */
  public <S, R extends CustomResource<?, S>> R write(R current, S status, Supplier<R> fresh) {
    if (sameJson(current.getStatus(), status)) {
      return current;
    }
    R patch = fresh.get();
    ObjectMeta metadata = new ObjectMeta();
    metadata.setName(current.getMetadata().getName());
    patch.setMetadata(metadata);
    patch.setStatus(status);
    try {
      @SuppressWarnings("unchecked")
      Class<R> type = (Class<R>) current.getClass();
      R updated = client.resources(type).resource(patch).patchStatus();
      LOG.debug("{} {}: status written", current.getKind(), current.getMetadata().getName());
      return updated;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        LOG.debug(
            "{} {} is gone; status not written",
            current.getKind(),
            current.getMetadata().getName());
        return current;
      }
      throw e;
    }
  }

  private boolean sameJson(Object a, Object b) {
    JsonNode left = mapper.valueToTree(a);
    JsonNode right = mapper.valueToTree(b);
    return Objects.equals(left, right);
  }
}
