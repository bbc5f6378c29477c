package dev.backuprestore.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class NaclSecretBoxTest {
  private static final HexFormat HEX = HexFormat.of();

  /**
   * Known answer from golang.org/x/crypto/nacl/secretbox TestSecretBox, "generated using the C
   * implementation of NaCl": key = 32 x 0x01, nonce = 24 x 0x02, message = 64 x 0x03. The output is
   * tag(16) || ciphertext(64).
   */
  private static final String NACL_BOX =
      "8442bc313f4626f1359e3b50122b6ce6fe66ddfe7d39d14e637eb4fd5b45beadab55198df6ab5368439792a2"
          + "3c87db70acb6156dc5ef957ac04f6276cf6093b84be77ff0849cc33e34b7254d5a8f65ad";

  private static byte[] filled(int length, int value) {
    byte[] bytes = new byte[length];
    Arrays.fill(bytes, (byte) value);
    return bytes;
  }

  @Test
  void sealMatchesTheNaclKnownAnswer() {
    byte[] box = NaclSecretBox.seal(filled(32, 1), filled(24, 2), filled(64, 3));

    assertThat(HEX.formatHex(box)).isEqualTo(NACL_BOX);
  }

  @Test
  void openReturnsTheNaclMessage() {
    byte[] box = HEX.parseHex(NACL_BOX);

    assertThat(NaclSecretBox.open(filled(32, 1), filled(24, 2), box, 0, box.length))
        .isEqualTo(filled(64, 3));
  }

  @Test
  void openRejectsEveryCorruptedByte() {
    byte[] box = HEX.parseHex(NACL_BOX);
    for (int i = 0; i < box.length; i++) {
      box[i] ^= 0x20;
      assertThat(NaclSecretBox.open(filled(32, 1), filled(24, 2), box, 0, box.length))
          .as("byte %d corrupted", i)
          .isNull();
      box[i] ^= 0x20;
    }
  }

  @Test
  void openRejectsAnotherKeyOrNonceAndTooShortBoxes() {
    byte[] box = HEX.parseHex(NACL_BOX);

    assertThat(NaclSecretBox.open(filled(32, 9), filled(24, 2), box, 0, box.length)).isNull();
    assertThat(NaclSecretBox.open(filled(32, 1), filled(24, 9), box, 0, box.length)).isNull();
    assertThat(NaclSecretBox.open(filled(32, 1), filled(24, 2), box, 0, 15)).isNull();
  }

  @Test
  void emptyAndMultiBlockMessagesRoundTrip() {
    byte[] key = filled(32, 7);
    byte[] nonce = filled(24, 8);
    for (int length : new int[] {0, 1, 31, 32, 33, 63, 64, 65, 1000}) {
      byte[] message = new byte[length];
      for (int i = 0; i < length; i++) {
        message[i] = (byte) i;
      }
      byte[] box = NaclSecretBox.seal(key, nonce, message);

      assertThat(box).hasSize(16 + length);
      assertThat(NaclSecretBox.open(key, nonce, box, 0, box.length)).isEqualTo(message);
    }
  }
}
