package dev.backuprestore.chart;

import dev.backuprestore.testing.TestFiles;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Stands in for the parts of kube-controller-manager that a migration of the backup volume relies
 * on, which the test apiserver does not run: the PersistentVolume binder, and the pvc-protection
 * and pv-protection controllers. It does what they do, in their order, for the cases the migration
 * meets:
 *
 * <ul>
 *   <li>a claim that names a volume ({@code spec.volumeName}), or that a volume is pre-bound to
 *       ({@code spec.claimRef}), is bound to it if the volume is free, its class is the claim's and
 *       it is large enough: claimRef with the claim's uid, both phases {@code Bound};
 *   <li>a volume whose claim is gone is {@code Released} if its reclaim policy is {@code Retain};
 *       with {@code Delete} it is deleted, and so is its data (its hostPath directory is emptied),
 *       as a volume plugin's deleter does;
 *   <li>a volume without claimRef is {@code Available};
 *   <li>a deleted claim loses its {@code kubernetes.io/pvc-protection} finalizer (no pod uses it:
 *       there are no pods), an unbound deleted volume its {@code kubernetes.io/pv-protection}.
 * </ul>
 *
 * It polls every 100 ms on its own thread; conflicts are retried on the next round.
 */
final class VolumeControllerStandIn implements AutoCloseable {
  private static final String PVC_PROTECTION = "kubernetes.io/pvc-protection";
  private static final String PV_PROTECTION = "kubernetes.io/pv-protection";

  private final KubernetesClient client;
  private final ScheduledExecutorService loop =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "volume-controller-stand-in");
            thread.setDaemon(true);
            return thread;
          });

  private VolumeControllerStandIn(KubernetesClient client) {
    this.client = client;
  }

  static VolumeControllerStandIn start(KubernetesClient client) {
    VolumeControllerStandIn controller = new VolumeControllerStandIn(client);
    controller.loop.scheduleWithFixedDelay(controller::round, 0, 100, TimeUnit.MILLISECONDS);
    return controller;
  }

  private void round() {
    try {
      List<PersistentVolumeClaim> claims =
          client.persistentVolumeClaims().inAnyNamespace().list().getItems();
      List<PersistentVolume> volumes = client.persistentVolumes().list().getItems();
      releaseDeletedClaims(claims);
      for (PersistentVolume volume : volumes) {
        reconcile(volume, claims);
      }
      for (PersistentVolumeClaim claim : claims) {
        if (claim.getMetadata().getDeletionTimestamp() == null && !"Bound".equals(phase(claim))) {
          bindToNamedVolume(claim, volumes);
        }
      }
    } catch (KubernetesClientException e) {
      // A conflict or a deleted object: the next round sees the new state.
    } catch (RuntimeException e) {
      System.err.println("volume controller stand-in: " + e);
    }
  }

  private void releaseDeletedClaims(List<PersistentVolumeClaim> claims) {
    for (PersistentVolumeClaim claim : claims) {
      if (claim.getMetadata().getDeletionTimestamp() != null
          && claim.getMetadata().getFinalizers().contains(PVC_PROTECTION)) {
        client
            .persistentVolumeClaims()
            .inNamespace(claim.getMetadata().getNamespace())
            .withName(claim.getMetadata().getName())
            .edit(
                c -> {
                  List<String> finalizers = new ArrayList<>(c.getMetadata().getFinalizers());
                  finalizers.remove(PVC_PROTECTION);
                  c.getMetadata().setFinalizers(finalizers);
                  return c;
                });
      }
    }
  }

  private void reconcile(PersistentVolume volume, List<PersistentVolumeClaim> claims) {
    String name = volume.getMetadata().getName();
    if (volume.getMetadata().getDeletionTimestamp() != null) {
      if (!"Bound".equals(phase(volume))
          && volume.getMetadata().getFinalizers().contains(PV_PROTECTION)) {
        client
            .persistentVolumes()
            .withName(name)
            .edit(
                v -> {
                  List<String> finalizers = new ArrayList<>(v.getMetadata().getFinalizers());
                  finalizers.remove(PV_PROTECTION);
                  v.getMetadata().setFinalizers(finalizers);
                  return v;
                });
      }
      return;
    }
    var claimRef = volume.getSpec().getClaimRef();
    if (claimRef == null) {
      setPhase(volume, "Available");
      return;
    }
    PersistentVolumeClaim claim = find(claims, claimRef.getNamespace(), claimRef.getName());
    boolean claimGone =
        claim == null
            || claim.getMetadata().getDeletionTimestamp() != null
            || (claimRef.getUid() != null
                && !claimRef.getUid().equals(claim.getMetadata().getUid()));
    if (claimGone) {
      if (claimRef.getUid() == null) {
        return; // pre-bound to a claim not created yet
      }
      if ("Delete".equals(volume.getSpec().getPersistentVolumeReclaimPolicy())) {
        if (volume.getSpec().getHostPath() != null) {
          TestFiles.deleteRecursively(Path.of(volume.getSpec().getHostPath().getPath()));
        }
        client.persistentVolumes().withName(name).delete();
      } else {
        setPhase(volume, "Released");
      }
      return;
    }
    if (!"Bound".equals(phase(volume)) || !"Bound".equals(phase(claim))) {
      bind(volume, claim);
    }
  }

  private void bindToNamedVolume(PersistentVolumeClaim claim, List<PersistentVolume> volumes) {
    String wanted = claim.getSpec().getVolumeName();
    if (wanted == null || wanted.isEmpty()) {
      return; // Only static binding: the migration never asks for dynamic provisioning.
    }
    for (PersistentVolume volume : volumes) {
      if (volume.getMetadata().getName().equals(wanted)
          && volume.getMetadata().getDeletionTimestamp() == null
          && volume.getSpec().getClaimRef() == null
          && sameClass(volume, claim)
          && largeEnough(volume, claim)) {
        bind(volume, claim);
      }
    }
  }

  private void bind(PersistentVolume volume, PersistentVolumeClaim claim) {
    String name = volume.getMetadata().getName();
    client
        .persistentVolumes()
        .withName(name)
        .edit(
            v -> {
              v.getSpec()
                  .setClaimRef(
                      new ObjectReferenceBuilder()
                          .withApiVersion("v1")
                          .withKind("PersistentVolumeClaim")
                          .withNamespace(claim.getMetadata().getNamespace())
                          .withName(claim.getMetadata().getName())
                          .withUid(claim.getMetadata().getUid())
                          .build());
              return v;
            });
    client
        .persistentVolumes()
        .withName(name)
        .editStatus(
            v -> {
              v.getStatus().setPhase("Bound");
              return v;
            });
    var claims = client.persistentVolumeClaims().inNamespace(claim.getMetadata().getNamespace());
    if (!name.equals(claim.getSpec().getVolumeName())) {
      claims
          .withName(claim.getMetadata().getName())
          .edit(
              c -> {
                c.getSpec().setVolumeName(name);
                return c;
              });
    }
    claims
        .withName(claim.getMetadata().getName())
        .editStatus(
            c -> {
              c.getStatus().setPhase("Bound");
              c.getStatus().setAccessModes(volume.getSpec().getAccessModes());
              c.getStatus().setCapacity(volume.getSpec().getCapacity());
              return c;
            });
  }

  private void setPhase(PersistentVolume volume, String phase) {
    if (!phase.equals(phase(volume))) {
      client
          .persistentVolumes()
          .withName(volume.getMetadata().getName())
          .editStatus(
              v -> {
                v.getStatus().setPhase(phase);
                return v;
              });
    }
  }

  private static boolean sameClass(PersistentVolume volume, PersistentVolumeClaim claim) {
    return Objects.equals(
        nullIfEmpty(volume.getSpec().getStorageClassName()),
        nullIfEmpty(claim.getSpec().getStorageClassName()));
  }

  private static boolean largeEnough(PersistentVolume volume, PersistentVolumeClaim claim) {
    Quantity capacity = volume.getSpec().getCapacity().get("storage");
    Quantity request = claim.getSpec().getResources().getRequests().get("storage");
    return capacity != null
        && request != null
        && Quantity.getAmountInBytes(capacity).compareTo(Quantity.getAmountInBytes(request)) >= 0;
  }

  private static PersistentVolumeClaim find(
      List<PersistentVolumeClaim> claims, String namespace, String name) {
    return claims.stream()
        .filter(c -> c.getMetadata().getNamespace().equals(namespace))
        .filter(c -> c.getMetadata().getName().equals(name))
        .findFirst()
        .orElse(null);
  }

  private static String phase(PersistentVolume volume) {
    return volume.getStatus() == null ? null : volume.getStatus().getPhase();
  }

  private static String phase(PersistentVolumeClaim claim) {
    return claim.getStatus() == null ? null : claim.getStatus().getPhase();
  }

  private static String nullIfEmpty(String value) {
    return value == null || value.isEmpty() ? null : value;
  }

  @Override
  public void close() {
    loop.shutdownNow();
  }
}
