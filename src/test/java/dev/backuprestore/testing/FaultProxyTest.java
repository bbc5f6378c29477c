package dev.backuprestore.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.backuprestore.testing.FaultProxy.Break;
import dev.backuprestore.testing.FaultProxy.Direction;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fault proxy against a loopback server that either echoes (client sends first) or, when the
 * client's first byte is {@code 'S'}, sends {@link #SERVED} bytes and closes; what the server
 * received per connection is recorded.
 */
class FaultProxyTest {
  private static final int SERVED = 256 * 1024;

  private ServerSocket server;
  private final BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
  private FaultProxy proxy;

  @BeforeEach
  void startServer() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor =
        new Thread(
            () -> {
              while (!server.isClosed()) {
                try {
                  Socket socket = server.accept();
                  Thread handler = new Thread(() -> serve(socket));
                  handler.setDaemon(true);
                  handler.start();
                } catch (IOException e) {
                  return;
                }
              }
            });
    acceptor.setDaemon(true);
    acceptor.start();
    proxy = FaultProxy.to("127.0.0.1", server.getLocalPort());
  }

  @AfterEach
  void stop() throws IOException {
    proxy.close();
    server.close();
  }

  private void serve(Socket socket) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    try (socket) {
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      int first = in.read();
      if (first == 'S') {
        all.write(first);
        out.write(pattern(SERVED));
        out.flush();
        return;
      }
      byte[] buffer = new byte[8192];
      int read = first;
      if (read >= 0) {
        all.write(read);
        out.write(read);
      }
      while (read >= 0 && (read = in.read(buffer)) >= 0) {
        all.write(buffer, 0, read);
        out.write(buffer, 0, read);
      }
    } catch (IOException e) {
      // a reset from the proxy: record what arrived
    } finally {
      received.add(all.toByteArray());
    }
  }

  @Test
  void forwardsBothWaysUntouchedWithoutFaults() throws Exception {
    byte[] message = pattern(100_000);
    try (Socket socket = connect()) {
      socket.getOutputStream().write(message);
      socket.shutdownOutput();
      assertSameBytes(socket.getInputStream().readAllBytes(), message);
    }
    assertSameBytes(received.poll(5, TimeUnit.SECONDS), message);
    assertThat(proxy.upstreamBytes()).isEqualTo(message.length);
    assertThat(proxy.downstreamBytes()).isEqualTo(message.length);
    assertThat(proxy.brokenConnections()).isZero();
  }

  @Test
  void resetsAConnectionAfterTheUpstreamBytesAndTheClientSeesAReset() throws Exception {
    proxy.breakAfter(Direction.UPSTREAM, 10_000, Break.RESET, 1);
    try (Socket socket = connect()) {
      assertThatThrownBy(
              () -> {
                OutputStream out = socket.getOutputStream();
                for (int i = 0; i < 100; i++) {
                  out.write(pattern(16_384));
                }
                socket.getInputStream().readAllBytes();
              })
          .isInstanceOf(SocketException.class);
    }
    byte[] arrived = received.poll(5, TimeUnit.SECONDS);
    assertThat(arrived.length).isLessThanOrEqualTo(10_000);
    assertSameBytes(arrived, Arrays.copyOf(pattern(16_384), arrived.length));
    assertThat(proxy.brokenConnections()).isEqualTo(1);

    // The budget was one connection: the next one is untouched.
    byte[] message = pattern(50_000);
    try (Socket socket = connect()) {
      socket.getOutputStream().write(message);
      socket.shutdownOutput();
      assertSameBytes(socket.getInputStream().readAllBytes(), message);
    }
  }

  @Test
  void closingAfterDownstreamBytesTruncatesTheResponse() throws Exception {
    proxy.breakAfter(Direction.DOWNSTREAM, 100_000, Break.CLOSE, 1);
    try (Socket socket = connect()) {
      socket.getOutputStream().write('S');
      byte[] got = socket.getInputStream().readAllBytes();
      assertSameBytes(got, Arrays.copyOf(pattern(SERVED), 100_000));
    }
    assertThat(proxy.brokenConnections()).isEqualTo(1);
  }

  @Test
  void resetAllBreaksOpenConnections() throws Exception {
    try (Socket socket = connect()) {
      socket.getOutputStream().write("hello".getBytes());
      assertThat(socket.getInputStream().readNBytes(5)).isEqualTo("hello".getBytes());
      await().until(() -> proxy.openConnections() == 1);
      proxy.resetAll();
      assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SocketException.class);
    }
    assertThat(proxy.brokenConnections()).isEqualTo(1);
    assertThat(proxy.openConnections()).isZero();
  }

  @Test
  void pauseHoldsBytesUntilResume() throws Exception {
    try (Socket socket = connect()) {
      socket.setSoTimeout(300);
      socket.getOutputStream().write("a".getBytes());
      assertThat(socket.getInputStream().read()).isEqualTo('a');
      proxy.pause();
      socket.getOutputStream().write("b".getBytes());
      assertThatThrownBy(() -> socket.getInputStream().read())
          .isInstanceOf(SocketTimeoutException.class);
      proxy.resume();
      socket.setSoTimeout(5000);
      assertThat(socket.getInputStream().read()).isEqualTo('b');
    }
  }

  @Test
  void addsLatencyPerChunkAndPerConnection() throws Exception {
    proxy.latencyPerConnection(Duration.ofMillis(300)).latencyPerChunk(Duration.ofMillis(200));
    long start = System.nanoTime();
    try (Socket socket = connect()) {
      socket.getOutputStream().write("x".getBytes());
      assertThat(socket.getInputStream().read()).isEqualTo('x');
    }
    // connection 300 ms + one chunk each way 200 ms: a lower bound, the added delay itself
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(700));

    proxy.heal();
    byte[] message = pattern(1000);
    try (Socket socket = connect()) {
      socket.getOutputStream().write(message);
      socket.shutdownOutput();
      assertSameBytes(socket.getInputStream().readAllBytes(), message);
    }
  }

  /** Compares lengths and reports the first difference (not two dumps of 100,000 numbers). */
  private static void assertSameBytes(byte[] actual, byte[] expected) {
    assertThat(actual.length).as("length").isEqualTo(expected.length);
    assertThat(Arrays.mismatch(actual, expected)).as("index of the first difference").isEqualTo(-1);
  }

  private Socket connect() throws IOException {
    Socket socket = new Socket("127.0.0.1", proxy.port());
    socket.setSoTimeout(10_000);
    return socket;
  }

  private static byte[] pattern(int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) (i * 31 + 7);
    }
    return bytes;
  }
}
