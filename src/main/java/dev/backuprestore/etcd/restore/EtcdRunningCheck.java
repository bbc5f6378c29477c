package dev.backuprestore.etcd.restore;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Tells whether an etcd still runs on a data directory, before the restore replaces it.
 *
 * <p>A running etcd holds two kinds of locks, both seen on a real etcd 3.6.6: bbolt takes a {@code
 * flock} on {@code member/snap/db}, and the WAL takes an open-file-description lock ({@code
 * F_OFD_SETLK}) on every {@code member/wal/*.wal}. The check looks for both:
 *
 * <ul>
 *   <li>the kernel's lock table {@code /proc/locks}, matched by device and inode (it lists the
 *       {@code flock} and OFD locks of the processes in this process's PID namespace, so a
 *       container needs the host's PID namespace to see a host etcd here);
 *   <li>a shared {@code fcntl} lock attempt on each WAL file ({@link FileChannel#tryLock}, which
 *       conflicts with the OFD lock whichever namespace etcd runs in; it cannot see {@code flock}s,
 *       hence the first check);
 *   <li>a TCP connect to this member's client and peer ports when they are on this host (an etcd
 *       started on a copy or another path of the same directory, or one still shutting down).
 * </ul>
 */
public final class EtcdRunningCheck {
  private static final int CONNECT_TIMEOUT_MILLIS = 500;

  private final Path procLocks;

  /** The check against the kernel's {@code /proc/locks}. */
  public EtcdRunningCheck() {
    this(Path.of("/proc/locks"));
  }

  EtcdRunningCheck(Path procLocks) {
    this.procLocks = Objects.requireNonNull(procLocks, "procLocks");
  }

  /**
   * @throws EtcdRestoreException when anything shows an etcd using {@code dataDir} or listening on
   *     one of {@code localUrls}
   */
  public void requireStopped(Path dataDir, List<URI> urls) {
    List<String> evidence = evidence(dataDir, urls);
    if (!evidence.isEmpty()) {
      throw new EtcdRestoreException(
          EtcdRestoreException.Step.ETCD_RUNNING,
          "etcd still runs on data directory "
              + dataDir
              + ": "
              + String.join("; ", evidence)
              + ". Stop etcd (and kube-apiserver) on this node first; the data directory was not"
              + " touched");
    }
  }

  /** What shows a running etcd; empty when nothing does. */
  public List<String> evidence(Path dataDir, List<URI> urls) {
    List<String> evidence = new ArrayList<>();
    List<Path> lockedFiles = etcdLockFiles(dataDir);
    evidence.addAll(kernelLocks(lockedFiles));
    for (Path wal : lockedFiles) {
      if (wal.getFileName().toString().endsWith(".wal") && isFcntlLocked(wal)) {
        evidence.add(wal + " is locked by another process");
      }
    }
    for (URI url : urls) {
      if (isLocal(url.getHost()) && listening(url)) {
        evidence.add("something listens on " + url.getHost() + ":" + port(url));
      }
    }
    return evidence.stream().distinct().toList();
  }

  private static List<Path> etcdLockFiles(Path dataDir) {
    List<Path> files = new ArrayList<>();
    Path db = dataDir.resolve("member/snap/db");
    if (Files.isRegularFile(db)) {
      files.add(db);
    }
    Path walDir = dataDir.resolve("member/wal");
    if (Files.isDirectory(walDir)) {
      try (DirectoryStream<Path> wals = Files.newDirectoryStream(walDir, "*.wal")) {
        wals.forEach(files::add);
      } catch (IOException e) {
        throw new EtcdRestoreException(
            EtcdRestoreException.Step.ETCD_RUNNING, "cannot list " + walDir + ": " + e, e);
      }
    }
    return files;
  }

  private List<String> kernelLocks(List<Path> files) {
    if (files.isEmpty() || !Files.isReadable(procLocks)) {
      return List.of();
    }
    List<String> table;
    try {
      table = Files.readAllLines(procLocks);
    } catch (IOException e) {
      return List.of();
    }
    List<String> evidence = new ArrayList<>();
    for (Path file : files) {
      String id;
      try {
        id = kernelFileId(file);
      } catch (NoSuchFileException e) {
        continue;
      } catch (IOException | UnsupportedOperationException e) {
        return List.of();
      }
      for (String line : table) {
        // "8: FLOCK  ADVISORY  WRITE 4021 fe:00:9978128 0 EOF"; "-> " marks a waiter.
        String[] fields = line.trim().split("\\s+");
        if (fields.length >= 6 && !fields[1].equals("->") && fields[5].equals(id)) {
          String pid = fields[4];
          evidence.add(
              file
                  + " has a "
                  + fields[1]
                  + " lock"
                  + (pid.equals("-1") || pid.equals("0") ? "" : " held by process " + pid));
        }
      }
    }
    return evidence;
  }

  /** {@code major:minor:inode} as /proc/locks prints it (hex device numbers, decimal inode). */
  static String kernelFileId(Path file) throws IOException {
    long dev = ((Number) Files.getAttribute(file, "unix:dev")).longValue();
    long ino = ((Number) Files.getAttribute(file, "unix:ino")).longValue();
    // glibc's encoding of st_dev (gnu_dev_major/gnu_dev_minor).
    long major = ((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL);
    long minor = (dev & 0xff) | ((dev >>> 12) & ~0xffL);
    return String.format("%02x:%02x:%d", major, minor, ino);
  }

  private static boolean isFcntlLocked(Path wal) {
    try (FileChannel channel = FileChannel.open(wal, StandardOpenOption.READ)) {
      FileLock lock = channel.tryLock(0, Long.MAX_VALUE, true);
      if (lock == null) {
        return true;
      }
      lock.release();
      return false;
    } catch (OverlappingFileLockException e) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean isLocal(String host) {
    if (host == null || host.isEmpty()) {
      return false;
    }
    try {
      InetAddress address = InetAddress.getByName(host);
      return address.isLoopbackAddress()
          || address.isAnyLocalAddress()
          || NetworkInterface.getByInetAddress(address) != null;
    } catch (UnknownHostException | SocketException e) {
      return false;
    }
  }

  private static boolean listening(URI url) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(url.getHost(), port(url)), CONNECT_TIMEOUT_MILLIS);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int port(URI url) {
    if (url.getPort() > 0) {
      return url.getPort();
    }
    return "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
  }
}
