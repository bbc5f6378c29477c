package dev.backuprestore.api.v1;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates Rancher's reference data ({@code shared/rancher}): {@code ../shared/rancher} next to the
 * project root, or next to one of its ancestors when the project is checked out one level deeper (a
 * git worktree).
 */
final class RancherReferenceData {
  private RancherReferenceData() {}

  static Path projectRoot() {
    return Path.of(System.getProperty("user.dir")).toAbsolutePath().normalize();
  }

  static Path dir(String child) {
    for (Path dir = projectRoot().getParent(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("shared/rancher").resolve(child);
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "Rancher reference data not found: expected ../shared/rancher/"
            + child
            + " from "
            + projectRoot());
  }
}
