package dev.backuprestore.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backuprestore.archive.ObjectPath;
import dev.backuprestore.kube.KubeApiException;
import dev.backuprestore.restore.RestoreObserver.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one archived object to the cluster (docs/rancher-compat.md#restore-apply): the {@link
 * RestoreItemAction}s first, then owner UIDs, then CREATE when absent or a full UPDATE with the
 * live resourceVersion (retried on conflicts; a refused write is tried once more with an action's
 * {@link RefusalFallback}, which is reported as a warning), then the archived status through {@code
 * /status} for custom resources whose CRD in the archive has that subresource. Failures are counted
 * in the tally, not thrown, except an API server that does not answer (status 0), which stops the
 * run.
 */
final class ObjectApplier {
  private static final Logger LOG = LoggerFactory.getLogger(ObjectApplier.class);
  private static final int CONFLICT_ATTEMPTS = 5;

  /** Server-owned metadata that an archive may still carry (old or hand-made archives). */
  private static final List<String> SERVER_METADATA =
      List.of(
          "uid",
          "resourceVersion",
          "selfLink",
          "creationTimestamp",
          "deletionTimestamp",
          "deletionGracePeriodSeconds");

  private final ObjectApi api;
  private final RestorePlan plan;
  private final List<RestoreItemAction> actions;
  private final OwnerReferences owners;
  private final RestoreTally tally;

  ObjectApplier(
      ObjectApi api,
      RestorePlan plan,
      List<RestoreItemAction> actions,
      OwnerReferences owners,
      RestoreTally tally) {
    this.api = api;
    this.plan = plan;
    this.actions = actions;
    this.owners = owners;
    this.tally = tally;
  }

  void apply(PlannedObject planned, ObjectNode archived) {
    ObjectPath path = planned.path();
    List<RestoreItemAction> applicable = new ArrayList<>();
    RestoreItem item = null;
    try {
      item = new RestoreItem(path, archived, api.get(path).orElse(null));
      for (RestoreItemAction action : actions) {
        if (action.appliesTo(item)) {
          applicable.add(action);
          ActionResult result = action.execute(item);
          if (result.isSkip()) {
            LOG.debug("Not restoring {}: {}", item.describe(), result.skipReason());
            skip(planned, item, result.skipReason());
            return;
          }
          item = result.item();
        }
      }
      prepare(item);
      owners.rewrite(item, applicable, tally);
      Written written;
      try {
        written = write(item);
      } catch (KubeApiException refusal) {
        Optional<RefusalFallback> fallback = fallback(applicable, item, refusal);
        if (fallback.isEmpty()) {
          throw refusal;
        }
        item = fallback.get().item();
        written = write(item);
        tally.warn(fallback.get().warning().apply(written.object()));
      }
      boolean changed = written.changed();
      if (plan.hasStatusSubresource(path) && item.object().has("status")) {
        changed |= writeStatus(path, written.object(), item.object().get("status"));
      }
      planned.applied(written.object().path("metadata").path("uid").asText(null));
      if (written.before() != null) {
        tally.updated();
        observe(planned, changed ? Outcome.UPDATED : Outcome.UNCHANGED, "", 0);
      } else {
        tally.created();
        observe(planned, Outcome.CREATED, "", 0);
      }
    } catch (OwnerReferences.OwnerFailedException e) {
      planned.failed();
      tally.fail(new ObjectFailure(planned.describe(), e.getMessage(), false));
      observe(planned, Outcome.FAILED, e.getMessage(), 0);
    } catch (KubeApiException e) {
      if (e.statusCode() == 0) {
        throw e;
      }
      RestoreItem failedItem = item;
      if (failedItem != null
          && applicable.stream().anyMatch(a -> a.toleratesFailure(failedItem, e))) {
        LOG.info("Ignoring the expected refusal of {}: {}", planned.describe(), e.getMessage());
        skip(planned, failedItem, "refused as expected: " + e.getMessage());
        return;
      }
      planned.failed();
      tally.fail(new ObjectFailure(planned.describe(), e.getMessage(), e.isPermanent()));
      observe(planned, Outcome.FAILED, e.getMessage(), e.statusCode());
    }
  }

  private static Optional<RefusalFallback> fallback(
      List<RestoreItemAction> applicable, RestoreItem item, KubeApiException refusal) {
    if (refusal.statusCode() == 0) {
      return Optional.empty(); // no answer is not a refusal
    }
    for (RestoreItemAction action : applicable) {
      Optional<RefusalFallback> fallback = action.fallbackAfterRefusal(item, refusal);
      if (fallback.isPresent()) {
        return fallback;
      }
    }
    return Optional.empty();
  }

  private void skip(PlannedObject planned, RestoreItem item, String reason) {
    if (item.live() != null) {
      planned.applied(item.live().path("metadata").path("uid").asText(null));
    }
    planned.skipped();
    tally.skipped();
    observe(planned, Outcome.SKIPPED, reason, 0);
  }

  private void observe(PlannedObject planned, Outcome outcome, String detail, int statusCode) {
    tally.observer().object(planned, outcome, detail, statusCode);
  }

  /**
   * The object as written and the live object it replaced (null when created). The API server
   * changed nothing when they are equal but for the resourceVersion: a real no-op update keeps it,
   * a dry run returns it unchanged either way, so the comparison means the same in both.
   */
  private record Written(ObjectNode object, JsonNode before) {
    boolean changed() {
      return before == null
          || !withoutResourceVersion(before).equals(withoutResourceVersion(object));
    }
  }

  private static JsonNode withoutResourceVersion(JsonNode object) {
    JsonNode copy = object.deepCopy();
    if (copy.path("metadata") instanceof ObjectNode metadata) {
      metadata.remove("resourceVersion");
    }
    return copy;
  }

  /** Server-owned fields out; name and namespace from the path when the body lacks them. */
  private static void prepare(RestoreItem item) {
    ObjectNode metadata = item.metadata();
    metadata.remove(SERVER_METADATA);
    metadata.put("name", item.path().name());
    if (item.path().isNamespaced()) {
      metadata.put("namespace", item.path().namespace());
    }
  }

  private Written write(RestoreItem item) {
    ObjectPath path = item.path();
    ObjectNode body = item.object();
    ObjectNode metadata = item.metadata();
    JsonNode live = item.live();
    for (int attempt = 1; ; attempt++) {
      try {
        if (live == null) {
          metadata.remove("resourceVersion");
          return new Written(api.create(path, body), null);
        }
        metadata.put("resourceVersion", live.path("metadata").path("resourceVersion").asText(""));
        return new Written(api.replace(path, body), live);
      } catch (KubeApiException e) {
        // 409: AlreadyExists on create (created meanwhile) or Conflict on update (changed
        // meanwhile). Read it again and retry with what is live now.
        if (e.statusCode() != 409 || attempt >= CONFLICT_ATTEMPTS) {
          throw e;
        }
        live = api.get(path).orElse(null);
      }
    }
  }

  /** Writes the archived status; true when that changed the object. */
  private boolean writeStatus(ObjectPath path, ObjectNode written, JsonNode archivedStatus) {
    ObjectNode body = written.deepCopy();
    body.set("status", archivedStatus.deepCopy());
    JsonNode before = written;
    for (int attempt = 1; ; attempt++) {
      try {
        return new Written(api.replaceStatus(path, body), before).changed();
      } catch (KubeApiException e) {
        if (e.statusCode() != 409 || attempt >= CONFLICT_ATTEMPTS) {
          throw new KubeApiException("status: " + e.getMessage(), e.statusCode(), e);
        }
        Optional<ObjectNode> live = api.get(path);
        if (live.isEmpty()) {
          throw e;
        }
        before = live.get().deepCopy();
        body = live.get();
        body.set("status", archivedStatus.deepCopy());
      }
    }
  }
}
