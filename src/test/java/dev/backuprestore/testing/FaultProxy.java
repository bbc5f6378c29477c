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
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback TCP proxy that injects network faults between a client under test and a real server
 * (S3Proxy, the kube-apiserver): added latency per chunk or per new connection, connections reset
 * (RST) or closed (FIN) once they carried some bytes in one direction, every open connection reset
 * on command, and pause/resume (bytes are held, not dropped, while paused). It forwards raw bytes,
 * so it works for HTTP and TLS alike. Faults apply to the chunks forwarded after they are set.
 *
 * <pre>{@code
 * try (FaultProxy proxy = FaultProxy.to("127.0.0.1", s3Port)) {
 *   proxy.breakAfter(Direction.UPSTREAM, 1 << 20, Break.RESET, 2); // the next two uploads die
 *   // point the client at proxy.endpoint()
 * }
 * }</pre>
 */
public final class FaultProxy implements AutoCloseable {
  /** Which way bytes flow: client to server, or server to client. */
  public enum Direction {
    UPSTREAM,
    DOWNSTREAM
  }

  /** How a connection is broken: an RST (connection reset) or an orderly close (a truncation). */
  public enum Break {
    RESET,
    CLOSE
  }

  private static final int CHUNK = 16 * 1024;

  private final String targetHost;
  private final int targetPort;
  private final ServerSocket server;
  private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
  private final AtomicLong upstreamBytes = new AtomicLong();
  private final AtomicLong downstreamBytes = new AtomicLong();
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicInteger broken = new AtomicInteger();
  private final Object pauseLock = new Object();
  private volatile boolean paused;
  private volatile long chunkLatencyNanos;
  private volatile long connectLatencyNanos;
  private volatile BreakRule breakRule;
  private volatile boolean closed;

  /**
   * Break connections that carried more than {@code bytes} in {@code direction}, {@code left}
   * times.
   */
  private record BreakRule(Direction direction, long bytes, Break how, AtomicInteger left) {}

  private FaultProxy(String targetHost, int targetPort) throws IOException {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "fault-proxy-accept-" + server.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Starts a proxy on a free loopback port that forwards to {@code host:port}. */
  public static FaultProxy to(String host, int port) {
    try {
      return new FaultProxy(host, port);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@link #to} {@code 127.0.0.1:targetPort}. */
  public static FaultProxy start(int targetPort) {
    return to("127.0.0.1", targetPort);
  }

  public int port() {
    return server.getLocalPort();
  }

  /** {@code 127.0.0.1:<port>}, as an S3 endpoint field or a URL authority. */
  public String endpoint() {
    return "127.0.0.1:" + port();
  }

  /** Sleeps this long before forwarding each chunk (at most 16 KiB), both directions. */
  public FaultProxy latencyPerChunk(Duration latency) {
    chunkLatencyNanos = latency.toNanos();
    return this;
  }

  /** Sleeps this long before connecting each new client connection to the target. */
  public FaultProxy latencyPerConnection(Duration latency) {
    connectLatencyNanos = latency.toNanos();
    return this;
  }

  /**
   * Breaks the next {@code times} connections that carry more than {@code bytes} in {@code
   * direction} (counted per connection): {@code bytes} are forwarded, then both sides are reset (an
   * RST may discard what the peer had not read yet) or closed. Replaces an earlier rule.
   */
  public FaultProxy breakAfter(Direction direction, long bytes, Break how, int times) {
    breakRule = new BreakRule(direction, bytes, how, new AtomicInteger(times));
    return this;
  }

  /** {@link #breakAfter} with {@link Break#RESET}. */
  public FaultProxy resetAfter(Direction direction, long bytes, int times) {
    return breakAfter(direction, bytes, Break.RESET, times);
  }

  /** {@link #latencyPerChunk} in milliseconds (0: none). */
  public FaultProxy delayEachChunk(long millis) {
    return latencyPerChunk(Duration.ofMillis(millis));
  }

  /** Resets every open connection now (new ones are accepted as usual). */
  public void resetAll() {
    for (Connection connection : connections) {
      connection.breakWith(Break.RESET);
    }
  }

  /** Holds every byte in both directions until {@link #resume()}; connections stay open. */
  public void pause() {
    paused = true;
  }

  public void resume() {
    synchronized (pauseLock) {
      paused = false;
      pauseLock.notifyAll();
    }
  }

  /** Removes latency, break rules and pause: a healthy network from now on. */
  public void heal() {
    chunkLatencyNanos = 0;
    connectLatencyNanos = 0;
    breakRule = null;
    resume();
  }

  /** Bytes forwarded client to server, over all connections. */
  public long upstreamBytes() {
    return upstreamBytes.get();
  }

  /** Bytes forwarded server to client, over all connections. */
  public long downstreamBytes() {
    return downstreamBytes.get();
  }

  /** Client connections accepted so far. */
  public int acceptedConnections() {
    return accepted.get();
  }

  /** Connections this proxy broke (by a rule or {@link #resetAll()}). */
  public int brokenConnections() {
    return broken.get();
  }

  /** {@link #brokenConnections()}. */
  public int resets() {
    return brokenConnections();
  }

  /** Connections open now. */
  public int openConnections() {
    return connections.size();
  }

  @Override
  public void close() {
    closed = true;
    resume();
    try {
      server.close();
    } catch (IOException e) {
      // closing anyway
    }
    for (Connection connection : connections) {
      connection.shutDown(Break.CLOSE);
    }
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        if (!closed) {
          System.err.println("FaultProxy: accept failed: " + e);
        }
        return;
      }
      accepted.incrementAndGet();
      Thread opener = new Thread(() -> open(client), "fault-proxy-open-" + port());
      opener.setDaemon(true);
      opener.start();
    }
  }

  private void open(Socket client) {
    try {
      sleepNanos(connectLatencyNanos);
      Socket target = new Socket();
      target.connect(new InetSocketAddress(targetHost, targetPort), 10_000);
      client.setTcpNoDelay(true);
      target.setTcpNoDelay(true);
      Connection connection = new Connection(client, target);
      connections.add(connection);
      connection.startPumps();
    } catch (IOException e) {
      closeQuietly(client);
    }
  }

  private void sleepNanos(long nanos) {
    if (nanos > 0) {
      try {
        Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void awaitNotPaused() throws InterruptedException {
    synchronized (pauseLock) {
      while (paused && !closed) {
        pauseLock.wait();
      }
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // already gone
    }
  }

  /** One client connection and its connection to the target, pumped by two threads. */
  private final class Connection {
    private final Socket client;
    private final Socket target;
    private final AtomicLong up = new AtomicLong();
    private final AtomicLong down = new AtomicLong();
    private final AtomicInteger pumpsLeft = new AtomicInteger(2);
    private volatile boolean shut;

    Connection(Socket client, Socket target) {
      this.client = client;
      this.target = target;
    }

    void startPumps() {
      start(Direction.UPSTREAM, client, target, up, upstreamBytes);
      start(Direction.DOWNSTREAM, target, client, down, downstreamBytes);
    }

    private void start(
        Direction direction, Socket from, Socket to, AtomicLong mine, AtomicLong total) {
      Thread pump =
          new Thread(
              () -> pump(direction, from, to, mine, total),
              "fault-proxy-" + direction.name().toLowerCase() + "-" + port());
      pump.setDaemon(true);
      pump.start();
    }

    private void pump(
        Direction direction, Socket from, Socket to, AtomicLong mine, AtomicLong total) {
      byte[] buffer = new byte[CHUNK];
      // Not try-with-resources: closing a socket's stream closes the socket, and the other
      // direction may still be busy after this one ends with a half close.
      try {
        InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream();
        int read;
        while ((read = in.read(buffer)) >= 0) {
          awaitNotPaused();
          sleepNanos(chunkLatencyNanos);
          BreakRule rule = breakRule;
          int allowed = allowedBeforeBreak(rule, direction, mine.get(), read);
          if (allowed < 0) {
            out.write(buffer, 0, read);
          } else {
            out.write(buffer, 0, allowed);
            out.flush();
            mine.addAndGet(allowed);
            total.addAndGet(allowed);
            breakWith(rule.how());
            return;
          }
          out.flush();
          mine.addAndGet(read);
          total.addAndGet(read);
        }
        // An orderly end of one direction is passed on as a half close.
        if (!to.isClosed()) {
          to.shutdownOutput();
        }
      } catch (SocketException e) {
        shutDown(Break.RESET); // one side reset or was shut down: pass it on
      } catch (IOException e) {
        shutDown(Break.RESET);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        shutDown(Break.RESET);
      } finally {
        if (pumpsLeft.decrementAndGet() == 0) {
          shutDown(Break.CLOSE);
        }
      }
    }

    /**
     * -1 to forward the whole chunk, else how many of its bytes to forward before breaking the
     * connection (the rule's budget is taken here).
     */
    private int allowedBeforeBreak(BreakRule rule, Direction direction, long sent, int read) {
      if (rule == null || rule.direction() != direction || sent + read <= rule.bytes()) {
        return -1;
      }
      if (rule.left().getAndUpdate(n -> n > 0 ? n - 1 : 0) <= 0) {
        return -1;
      }
      return (int) Math.max(0, rule.bytes() - sent);
    }

    /** Ends both sockets as a fault: counted (before the peers can see it) if not ended yet. */
    void breakWith(Break how) {
      shutDown(how, true);
    }

    /** Ends both sockets; true if this call did it. */
    boolean shutDown(Break how) {
      return shutDown(how, false);
    }

    private synchronized boolean shutDown(Break how, boolean fault) {
      if (shut) {
        return false;
      }
      shut = true;
      if (fault) {
        broken.incrementAndGet();
      }
      connections.remove(this);
      for (Socket socket : new Socket[] {client, target}) {
        try {
          if (how == Break.RESET) {
            socket.setSoLinger(true, 0); // close() then sends an RST
          }
        } catch (SocketException e) {
          // already closed
        }
        closeQuietly(socket);
      }
      return true;
    }
  }
}
