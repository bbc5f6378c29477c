package dev.backuprestore.etcd.client;

import java.util.List;

/**
 * A member of the cluster (MemberList).
 *
 * @param id the member ID (unsigned 64-bit)
 * @param name the member name; empty for a member that was added but never started
 * @param peerURLs peer URLs
 * @param clientURLs client URLs; empty for a member that never started
 * @param learner whether it is a learner
 */
public record EtcdMember(
    long id, String name, List<String> peerURLs, List<String> clientURLs, boolean learner) {
  /** The ID as etcd prints it (lower-case hex). */
  public String hexId() {
    return Long.toHexString(id);
  }

  /** The name, or the hex ID for a member that has none yet. */
  public String displayName() {
    return name == null || name.isEmpty() ? hexId() : name;
  }
}
