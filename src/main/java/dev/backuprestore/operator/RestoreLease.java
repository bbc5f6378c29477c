package dev.backuprestore.operator;

import dev.backuprestore.api.v1.Restore;
import dev.backuprestore.kube.OperatorException;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.ZonedDateTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One restore at a time (docs/rancher-compat.md#restore-lease, #diff-permanent-errors): the Lease
 * {@code restore-controller} in the operator namespace names its holder as {@code
 * <restoreName>:<restoreUID>}. A Lease whose holder Restore no longer exists is taken over, so a
 * deleted, stuck Restore never blocks the next one.
 */
public class RestoreLease {
  static final String NAME = "restore-controller";
  private static final int HTTP_CONFLICT = 409;
  private static final Logger LOG = LoggerFactory.getLogger(RestoreLease.class);

  private final KubernetesClient client;
  private final String namespace;
  private final Clock clock;

  public RestoreLease(KubernetesClient client, String namespace, Clock clock) {
    this.client = client;
    this.namespace = namespace;
    this.clock = clock;
  }

  /** Rancher clears a stale lock at startup; so do we. */
  public void clearAtStartup() {
    try {
      client.leases().inNamespace(namespace).withName(NAME).delete();
    } catch (KubernetesClientException e) {
      LOG.warn("could not remove the Lease {}/{}: {}", namespace, NAME, e.getMessage());
    }
  }

  /** Takes the lock for this Restore or throws a transient error naming the holder. */
  public void acquire(Restore restore) {
    try {
      take(restore);
    } catch (KubernetesClientException e) {
      if (e.getCode() != HTTP_CONFLICT) {
        throw e;
      }
      // Another Restore created or took the Lease between our read and our write: report it as
      // a held Lease, not as a raw "409 already exists" (two Restores created together race here).
      Lease now = client.leases().inNamespace(namespace).withName(NAME).get();
      String holder =
          now == null || now.getSpec() == null ? null : now.getSpec().getHolderIdentity();
      throw new OperatorException(
          holder == null || holder.isEmpty()
              ? "the Lease " + NAME + " changed while this restore took it"
              : "restore " + holder + " is in progress",
          false,
          e);
    }
  }

  private void take(Restore restore) {
    String me = identity(restore);
    Lease lease = client.leases().inNamespace(namespace).withName(NAME).get();
    if (lease == null) {
      client
          .leases()
          .inNamespace(namespace)
          .resource(
              new LeaseBuilder()
                  .withNewMetadata()
                  .withName(NAME)
                  .withNamespace(namespace)
                  .endMetadata()
                  .withNewSpec()
                  .withHolderIdentity(me)
                  .withAcquireTime(ZonedDateTime.now(clock))
                  .endSpec()
                  .build())
          .create();
      return;
    }
    String holder = lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
    if (holder != null && !holder.isEmpty() && !holder.equals(me) && holderExists(holder)) {
      throw new OperatorException("restore " + holder + " is in progress", false);
    }
    if (holder != null && !holder.isEmpty() && !holder.equals(me)) {
      LOG.info("taking over Lease {} from {}: that Restore no longer exists", NAME, holder);
    }
    if (lease.getSpec() == null) {
      lease.setSpec(new io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec());
    }
    lease.getSpec().setHolderIdentity(me);
    lease.getSpec().setAcquireTime(ZonedDateTime.now(clock));
    // A full update with the read resourceVersion: two restores racing here cannot both win.
    client.leases().inNamespace(namespace).resource(lease).update();
  }

  /** Releases the lock if this Restore holds it. */
  public void release(Restore restore) {
    try {
      Lease lease = client.leases().inNamespace(namespace).withName(NAME).get();
      if (lease != null
          && lease.getSpec() != null
          && identity(restore).equals(lease.getSpec().getHolderIdentity())) {
        lease.getSpec().setHolderIdentity(null);
        client.leases().inNamespace(namespace).resource(lease).update();
      }
    } catch (KubernetesClientException e) {
      LOG.warn("could not release the Lease {}/{}: {}", namespace, NAME, e.getMessage());
    }
  }

  private boolean holderExists(String holder) {
    int colon = holder.lastIndexOf(':');
    String name = colon < 0 ? holder : holder.substring(0, colon);
    String uid = colon < 0 ? null : holder.substring(colon + 1);
    Restore existing = client.resources(Restore.class).withName(name).get();
    return existing != null
        && (uid == null || uid.equals(existing.getMetadata().getUid()))
        && (existing.getStatus() == null || existing.getStatus().getRestoreCompletionTs() == null);
  }

  static String identity(Restore restore) {
    return restore.getMetadata().getName() + ":" + restore.getMetadata().getUid();
  }
}
