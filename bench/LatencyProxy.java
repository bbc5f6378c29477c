import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * Benchmark helper: a loopback TCP proxy that delays every byte by half the given round-trip time
 * in each direction, so that a client on 127.0.0.1 sees the apiserver as if it were a network hop
 * away. TLS passes through untouched. Bytes keep their order; bandwidth is not limited.
 *
 * <pre>
 *   java bench/LatencyProxy.java LISTEN_PORT TARGET_HOST TARGET_PORT RTT_MS
 * </pre>
 *
 * Prints "listening=PORT" once it accepts connections; runs until killed.
 */
public final class LatencyProxy {
  private static final byte[] END = new byte[0];

  private record Chunk(long dueNanos, byte[] bytes) {}

  public static void main(String[] args) throws IOException {
    if (args.length != 4) {
      System.err.println("usage: LatencyProxy LISTEN_PORT TARGET_HOST TARGET_PORT RTT_MS");
      System.exit(2);
    }
    int listenPort = Integer.parseInt(args[0]);
    String targetHost = args[1];
    int targetPort = Integer.parseInt(args[2]);
    long oneWayNanos = (long) (Double.parseDouble(args[3]) * 1_000_000 / 2);
    try (ServerSocket server = new ServerSocket()) {
      server.setReuseAddress(true);
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), listenPort), 512);
      System.out.println("listening=" + server.getLocalPort());
      System.out.flush();
      while (true) {
        Socket client = server.accept();
        daemon(() -> connect(client, targetHost, targetPort, oneWayNanos));
      }
    }
  }

  private static void connect(Socket client, String host, int port, long delayNanos) {
    try {
      Socket target = new Socket(host, port);
      client.setTcpNoDelay(true);
      target.setTcpNoDelay(true);
      pump(client, target, delayNanos);
      pump(target, client, delayNanos);
    } catch (IOException e) {
      close(client);
    }
  }

  /** Two threads per direction: one reads and stamps, one waits until due and writes. */
  private static void pump(Socket from, Socket to, long delayNanos) throws IOException {
    InputStream in = from.getInputStream();
    OutputStream out = to.getOutputStream();
    BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
    daemon(
        () -> {
          byte[] buffer = new byte[65536];
          try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
              queue.add(new Chunk(System.nanoTime() + delayNanos, Arrays.copyOf(buffer, n)));
            }
          } catch (IOException e) {
            // the connection ended
          }
          queue.add(new Chunk(System.nanoTime() + delayNanos, END));
        });
    daemon(
        () -> {
          try {
            while (true) {
              Chunk chunk = queue.take();
              long wait;
              while ((wait = chunk.dueNanos() - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
              }
              if (chunk.bytes() == END) {
                to.shutdownOutput();
                return;
              }
              out.write(chunk.bytes());
              out.flush();
            }
          } catch (IOException | InterruptedException e) {
            close(from);
            close(to);
          }
        });
  }

  private static void close(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // already closed
    }
  }

  private static void daemon(Runnable task) {
    Thread thread = new Thread(task);
    thread.setDaemon(true);
    thread.start();
  }
}
