package dev.backuprestore.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class LengthCheckedInputStreamTest {
  @Test
  void aCompleteBodyEndsNormally() throws IOException {
    try (InputStream in = checked(new byte[1000], 1000)) {
      assertThat(in.readAllBytes()).hasSize(1000);
      assertThat(in.read()).isEqualTo(-1);
    }
  }

  @Test
  void aBodyThatEndsEarlyFailsAtItsEndInsteadOfLookingComplete() {
    InputStream in = checked(new byte[600], 1000);
    assertThatThrownBy(in::readAllBytes)
        .isInstanceOf(IOException.class)
        .hasMessage(
            "the download of backup file [b.tar.gz] from s3 bucket [x] ended after 600 of 1000"
                + " bytes: the connection was closed early");
  }

  @Test
  void singleByteReadsAreCountedToo() throws IOException {
    InputStream in = checked(new byte[] {1, 2}, 3);
    assertThat(in.read()).isEqualTo(1);
    assertThat(in.read()).isEqualTo(2);
    assertThatThrownBy(in::read).isInstanceOf(IOException.class).hasMessageContaining("2 of 3");
  }

  private static InputStream checked(byte[] body, long length) {
    return new LengthCheckedInputStream(
        new ByteArrayInputStream(body), length, "backup file [b.tar.gz] from s3 bucket [x]");
  }
}
