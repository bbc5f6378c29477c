package dev.backuprestore.restore;

import dev.backuprestore.api.v1.ControllerReference;
import dev.backuprestore.api.v1.ResourceSelector;
import java.util.List;

/**
 * What a restore uses of the archive's {@code filters/filters.json} (the ResourceSet of the
 * backup): the selectors, which drive prune, and the controllers scaled down while restoring.
 *
 * @param present false when the archive has no {@code filters/filters.json}: nothing is pruned and
 *     nothing is scaled
 */
public record BackupFilters(
    boolean present,
    List<ResourceSelector> resourceSelectors,
    List<ControllerReference> controllerReferences) {

  public BackupFilters {
    resourceSelectors = List.copyOf(resourceSelectors);
    controllerReferences = List.copyOf(controllerReferences);
  }

  static BackupFilters absent() {
    return new BackupFilters(false, List.of(), List.of());
  }
}
