package dev.backuprestore.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Go's {@code base64.StdEncoding}, which both the API server (key secrets) and Rancher (JSON byte
 * slices) use: padding is required, and CR and LF are ignored. Java's decoder alone would accept
 * missing padding.
 */
final class StdBase64 {
  private StdBase64() {}

  /**
   * @throws IllegalArgumentException if the text is not padded standard base64; the message does
   *     not repeat the input
   */
  static byte[] decode(String text) {
    String compact = text.indexOf('\r') < 0 && text.indexOf('\n') < 0 ? text : stripNewlines(text);
    if (compact.length() % 4 != 0) {
      throw new IllegalArgumentException("illegal base64 data: length is not a multiple of 4");
    }
    try {
      return Base64.getDecoder().decode(compact.getBytes(StandardCharsets.ISO_8859_1));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("illegal base64 data");
    }
  }

  static String encode(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  private static String stripNewlines(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c != '\r' && c != '\n') {
        out.append(c);
      }
    }
    return out.toString();
  }
}
