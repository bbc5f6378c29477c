package dev.backuprestore.etcd;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Random;

/** Byte arrays shaped like etcd snapshots: pages of a bolt file plus the sha256 trailer. */
final class SnapshotFixtures {
  private SnapshotFixtures() {}

  /** {@code pages} × 4096 pseudo-random bytes followed by their sha256. */
  static byte[] snapshot(int pages, long seed) {
    byte[] body = new byte[pages * 4096];
    new Random(seed).nextBytes(body);
    byte[] digest = SnapshotTrailer.sha256().digest(body);
    byte[] file = Arrays.copyOf(body, body.length + digest.length);
    System.arraycopy(digest, 0, file, body.length, digest.length);
    return file;
  }

  static boolean sameDigest(byte[] a, byte[] b) {
    return MessageDigest.isEqual(a, b);
  }
}
