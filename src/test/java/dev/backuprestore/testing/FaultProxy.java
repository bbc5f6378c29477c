package dev.backuprestore.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback TCP proxy for fault injection: forwards every connection to a target port and, on
 * request, resets connections (RST, as a load balancer or a flaky network does) once a number of
 * bytes has gone through in one direction, or adds latency to every chunk. The faults are armed for
 * a number of resets, then the proxy heals, so a retry can succeed.
 */
public final class FaultProxy implements AutoCloseable {
  /** Which bytes count towards a reset: the request (upload) or the response (download). */
  public enum Direction {
    UPSTREAM,
    DOWNSTREAM
  }

  private final ServerSocket server;
  private final int targetPort;
  private final ExecutorService threads = Executors.newCachedThreadPool(daemon());
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private final AtomicInteger resetsLeft = new AtomicInteger();
  private final AtomicInteger resets = new AtomicInteger();
  private volatile Direction direction = Direction.UPSTREAM;
  private volatile long resetAfterBytes = Long.MAX_VALUE;
  private volatile long delayMillis;

  private FaultProxy(ServerSocket server, int targetPort) {
    this.server = server;
    this.targetPort = targetPort;
  }

  /** Starts a proxy on a free loopback port in front of {@code 127.0.0.1:targetPort}. */
  public static FaultProxy start(int targetPort) {
    try {
      ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      FaultProxy proxy = new FaultProxy(server, targetPort);
      proxy.threads.execute(proxy::accept);
      return proxy;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return server.getLocalPort();
  }

  /** The next {@code times} connections that carry more than {@code bytes} are reset. */
  public void resetAfter(Direction countIn, long bytes, int times) {
    direction = countIn;
    resetAfterBytes = bytes;
    resetsLeft.set(times);
  }

  /** Adds this much latency to every chunk forwarded, both ways (0: none). */
  public void delayEachChunk(long millis) {
    delayMillis = millis;
  }

  /** How many connections were reset so far. */
  public int resets() {
    return resets.get();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket target = new Socket();
        target.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort));
        open.add(client);
        open.add(target);
        AtomicLong counted = new AtomicLong();
        threads.execute(() -> pump(client, target, Direction.UPSTREAM, counted, client, target));
        threads.execute(() -> pump(target, client, Direction.DOWNSTREAM, counted, client, target));
      } catch (IOException e) {
        if (!server.isClosed()) {
          throw new UncheckedIOException(e);
        }
      }
    }
  }

  private void pump(
      Socket from, Socket to, Direction way, AtomicLong counted, Socket client, Socket target) {
    byte[] buffer = new byte[16 * 1024];
    try (InputStream in = from.getInputStream()) {
      OutputStream out = to.getOutputStream();
      int read;
      while ((read = in.read(buffer)) >= 0) {
        if (delayMillis > 0) {
          Thread.sleep(delayMillis);
        }
        if (way == direction
            && counted.addAndGet(read) > resetAfterBytes
            && resetsLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
          resets.incrementAndGet();
          reset(client);
          reset(target);
          return;
        }
        out.write(buffer, 0, read);
        out.flush();
      }
      to.shutdownOutput();
    } catch (IOException | InterruptedException e) {
      closeQuietly(client);
      closeQuietly(target);
    }
  }

  /** SO_LINGER 0 then close: the peer gets a TCP RST, "connection reset by peer". */
  private static void reset(Socket socket) {
    try {
      socket.setSoLinger(true, 0);
    } catch (SocketException e) {
      // Already closed.
    }
    closeQuietly(socket);
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // Nothing to do.
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      // Closing anyway.
    }
    open.forEach(FaultProxy::closeQuietly);
    threads.shutdownNow();
  }

  private static java.util.concurrent.ThreadFactory daemon() {
    return r -> {
      Thread thread = new Thread(r, "fault-proxy");
      thread.setDaemon(true);
      return thread;
    };
  }
}
