package dev.backuprestore.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backuprestore.archive.ObjectPath;
import dev.backuprestore.kube.KubeApiException;
import dev.backuprestore.restore.RestoreObserver.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
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
 *
 * <p><b>Write first, read on conflict.</b> Whether the object exists decides what the actions do
 * and whether it is created or updated, and Rancher reads it before every write. Here, unless the
 * {@link LookupPolicy} says this type's objects mostly exist, the object is first assumed absent:
 * the actions run on that assumption and the object is created, one request in all. Whenever the
 * assumption could have changed the outcome, the object is read and everything runs again from the
 * archived body with what is live, exactly as if it had been read first: when the create fails (409
 * AlreadyExists, or any refusal, such as a webhook that rejects creates of an object that exists)
 * and when an action skips the object (a skip records the live UID for dependents). A refused
 * create of an object that is indeed absent is not sent again: the run with what is live takes the
 * refusal as the answer of its create (fallbacks and tolerated refusals apply as usual).
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
  private final LookupPolicy lookups;

  ObjectApplier(
      ObjectApi api,
      RestorePlan plan,
      List<RestoreItemAction> actions,
      OwnerReferences owners,
      RestoreTally tally) {
    this(api, plan, actions, owners, tally, new LookupPolicy());
  }

  ObjectApplier(
      ObjectApi api,
      RestorePlan plan,
      List<RestoreItemAction> actions,
      OwnerReferences owners,
      RestoreTally tally,
      LookupPolicy lookups) {
    this.api = api;
    this.plan = plan;
    this.actions = actions;
    this.owners = owners;
    this.tally = tally;
    this.lookups = lookups;
  }

  /** Where an attempt that assumed the object absent stopped because it needs the live object. */
  private record NeedsLive(KubeApiException refusal) implements Attempt {}

  private sealed interface Attempt permits Done, NeedsLive {}

  private record Done() implements Attempt {}

  private static final Done DONE = new Done();

  /** {@link #apply(PlannedObject, Supplier)} with copies of {@code archived}. */
  void apply(PlannedObject planned, ObjectNode archived) {
    apply(planned, archived::deepCopy);
  }

  /**
   * Applies one archived object. {@code archived} gives a fresh tree of the archived body on each
   * call; a second one is asked for only when the write-first attempt (which changes its tree)
   * needs the live object, so that the common case parses the body once and copies nothing.
   */
  void apply(PlannedObject planned, Supplier<ObjectNode> archived) {
    ObjectPath path = planned.path();
    try {
      if (lookups.readFirst(path)) {
        attempt(planned, archived.get(), api.get(path).orElse(null), false, null);
        return;
      }
      if (!(attempt(planned, archived.get(), null, true, null) instanceof NeedsLive needed)) {
        lookups.wroteFirst(path, false);
        return;
      }
      ObjectNode live = api.get(path).orElse(null);
      lookups.wroteFirst(path, live != null);
      KubeApiException refusal = needed.refusal();
      boolean refusedWhileAbsent = live == null && refusal != null && refusal.statusCode() != 409;
      attempt(planned, archived.get(), live, false, refusedWhileAbsent ? refusal : null);
    } catch (KubeApiException e) {
      // A read failed: the object fails as it would have with a read first.
      fail(planned, null, List.of(), e);
    }
  }

  /**
   * One pass of actions, owners and write over {@code archived} (changed in place) with {@code
   * live}. With {@code assumedAbsent}, stops before recording anything when the live object could
   * change the outcome. A {@code knownRefusal} is the answer to the create, which is not sent
   * again.
   */
  private Attempt attempt(
      PlannedObject planned,
      ObjectNode archived,
      ObjectNode live,
      boolean assumedAbsent,
      KubeApiException knownRefusal) {
    ObjectPath path = planned.path();
    List<RestoreItemAction> applicable = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    RestoreItem item = new RestoreItem(path, archived, live);
    try {
      for (RestoreItemAction action : actions) {
        if (action.appliesTo(item)) {
          applicable.add(action);
          ActionResult result = action.execute(item);
          if (result.isSkip()) {
            if (assumedAbsent) {
              return new NeedsLive(null);
            }
            LOG.debug("Not restoring {}: {}", item.describe(), result.skipReason());
            skip(planned, item, result.skipReason());
            return DONE;
          }
          item = result.item();
        }
      }
      prepare(item);
      owners.rewrite(item, applicable, warnings);
      Written written;
      try {
        if (knownRefusal != null) {
          throw knownRefusal;
        }
        written = write(item, !assumedAbsent);
      } catch (KubeApiException refusal) {
        if (assumedAbsent && refusal.statusCode() != 0) {
          return new NeedsLive(refusal);
        }
        Optional<RefusalFallback> fallback = fallback(applicable, item, refusal);
        if (fallback.isEmpty()) {
          throw refusal;
        }
        item = fallback.get().item();
        written = write(item, true);
        warnings.add(fallback.get().warning().apply(written.object()));
      }
      warnings.forEach(tally::warn);
      warnings.clear();
      boolean changed = written.changed();
      if (plan.hasStatusSubresource(path) && item.object().has("status")) {
        changed |= writeStatus(path, written.object(), item.object().get("status"));
      }
      planned.applied(written.stored().uid());
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
      warnings.forEach(tally::warn);
      fail(planned, item, applicable, e);
    }
    return DONE;
  }

  /** Counts a failed write, or a skip when an action expects this refusal. */
  private void fail(
      PlannedObject planned,
      RestoreItem item,
      List<RestoreItemAction> applicable,
      KubeApiException e) {
    if (e.statusCode() == 0) {
      throw e;
    }
    if (item != null && applicable.stream().anyMatch(a -> a.toleratesFailure(item, e))) {
      LOG.info("Ignoring the expected refusal of {}: {}", planned.describe(), e.getMessage());
      skip(planned, item, "refused as expected: " + e.getMessage());
      return;
    }
    planned.failed();
    tally.fail(new ObjectFailure(planned.describe(), e.getMessage(), e.isPermanent()));
    observe(planned, Outcome.FAILED, e.getMessage(), e.statusCode());
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
    planned.skipped(
        item.live() == null ? null : item.live().path("metadata").path("uid").asText(null));
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
  private record Written(StoredObject stored, JsonNode before) {
    Written(ObjectNode object, JsonNode before) {
      this(StoredObject.parsed(object), before);
    }

    ObjectNode object() {
      return stored.object();
    }

    boolean changed() {
      return before == null
          || !withoutResourceVersion(before).equals(withoutResourceVersion(object()));
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

  /** Creates or updates; with {@code rereadOnConflict}, a 409 reads the live object and retries. */
  private Written write(RestoreItem item, boolean rereadOnConflict) {
    ObjectPath path = item.path();
    ObjectNode body = item.object();
    ObjectNode metadata = item.metadata();
    JsonNode live = item.live();
    for (int attempt = 1; ; attempt++) {
      try {
        if (live == null) {
          metadata.remove("resourceVersion");
          return new Written(api.createStored(path, body), null);
        }
        metadata.put("resourceVersion", live.path("metadata").path("resourceVersion").asText(""));
        return new Written(api.replace(path, body), live);
      } catch (KubeApiException e) {
        // 409: AlreadyExists on create (created meanwhile) or Conflict on update (changed
        // meanwhile). Read it again and retry with what is live now.
        if (e.statusCode() != 409 || attempt >= CONFLICT_ATTEMPTS || !rereadOnConflict) {
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
