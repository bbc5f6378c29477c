package dev.backuprestore.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaderElectionRecord;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the leader Lease up on a graceful stop. java-operator-sdk builds fabric8's elector with
 * releaseOnCancel off and stops it last, so a stopping leader leaves the Lease to expire: the other
 * replica waited the whole lease duration (15 s) on every helm upgrade. Released, it takes over at
 * its next retry (2 s). Called once the running work has finished (or timed out), never while this
 * replica may still write.
 *
 * <p>While that work drains, the Lease is renewed from here: the SDK shuts down the executors
 * fabric8's elector submits its renewals to before it stops the elector, so those renewals are
 * rejected silently and the other replica would take over 15 s into the drain, while this one still
 * writes.
 */
final class LeaderLease {
  private static final Logger LOG = LoggerFactory.getLogger(LeaderLease.class);

  /** What client-go's ReleaseOnCancel leaves: a lease that expires a second from now. */
  static final Duration RELEASED_DURATION = Duration.ofSeconds(1);

  private final KubernetesClient client;
  private final String namespace;
  private final String name;
  private final String identity;

  LeaderLease(KubernetesClient client, String namespace, String name, String identity) {
    this.client = client;
    this.namespace = namespace;
    this.name = name;
    this.identity = identity;
  }

  /**
   * Shortens the Lease to {@link #RELEASED_DURATION} when this replica holds it; a Lease held by
   * another replica (or gone) is left alone. Returns true when it was released.
   */
  boolean releaseIfHeld() {
    LeaseLock lock = new LeaseLock(namespace, name, identity);
    try {
      LeaderElectionRecord current = lock.get(client);
      if (current == null || !identity.equals(current.getHolderIdentity())) {
        return false;
      }
      ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
      // The holder stays as it is (the Lease says who led last); the short duration lets the
      // next candidate take it at once. The update carries the resourceVersion read above, so it
      // fails rather than overwrite a Lease that changed hands in between.
      lock.update(
          client,
          new LeaderElectionRecord(
              identity,
              RELEASED_DURATION,
              current.getAcquireTime(),
              now,
              current.getLeaderTransitions()));
      LOG.info("released the leader Lease {}/{}", namespace, name);
      return true;
    } catch (RuntimeException e) {
      // KubernetesClientException mostly; a failed release must never stop the shutdown.
      LOG.warn(
          "could not release the leader Lease {}/{} (it expires on its own): {}",
          namespace,
          name,
          Failures.message(e));
      return false;
    }
  }

  /**
   * Starts renewing the Lease every {@code period} from a daemon thread, as long as this replica
   * holds it; closing the returned handle stops the renewals. A failed renewal is logged and tried
   * again at the next tick.
   */
  AutoCloseable keepRenewing(Duration leaseDuration, Duration period) {
    ScheduledExecutorService renewer =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "leader-lease-renewer");
              thread.setDaemon(true);
              return thread;
            });
    renewer.scheduleWithFixedDelay(
        () -> renewIfHeld(leaseDuration), 0, period.toMillis(), TimeUnit.MILLISECONDS);
    return () -> {
      renewer.shutdownNow();
      // A renewal in flight ends before the release that follows reads the Lease.
      renewer.awaitTermination(5, TimeUnit.SECONDS);
    };
  }

  /** Moves renewTime to now when this replica holds the Lease; returns true when it did. */
  boolean renewIfHeld(Duration leaseDuration) {
    LeaseLock lock = new LeaseLock(namespace, name, identity);
    try {
      LeaderElectionRecord current = lock.get(client);
      if (current == null || !identity.equals(current.getHolderIdentity())) {
        return false;
      }
      // Carries the resourceVersion just read: a Lease that changed hands is never overwritten.
      lock.update(
          client,
          new LeaderElectionRecord(
              identity,
              leaseDuration,
              current.getAcquireTime(),
              ZonedDateTime.now(ZoneOffset.UTC),
              current.getLeaderTransitions()));
      LOG.debug("renewed the leader Lease {}/{} while stopping", namespace, name);
      return true;
    } catch (RuntimeException e) {
      LOG.warn(
          "could not renew the leader Lease {}/{} while stopping (retrying): {}",
          namespace,
          name,
          Failures.message(e));
      return false;
    }
  }
}
